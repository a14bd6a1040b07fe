using System.Text.Json.Nodes;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Model;

/// <summary>Reads a raw document written as JSON with string scalars, as the loader hands it to the model reader.</summary>
internal static class RawProject
{
    public const string WorkingDirectory = "/srv/app";

    public static ComposeProject Read(
        string json,
        string[]? profiles = null,
        IReadOnlyDictionary<string, string>? variables = null,
        string workingDirectory = WorkingDirectory)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        var context = new ModelReaderContext(
            "demo",
            workingDirectory,
            [Path.Combine(workingDirectory, "compose.yaml")],
            profiles ?? [],
            name => variables is not null && variables.TryGetValue(name, out var value) ? value : null);
        return ModelReader.Read(document, context);
    }

    /// <summary>One service named web, given the inside of its mapping, in a project that defines those top-level keys.</summary>
    public static ServiceConfig Web(string serviceBody, string topLevel = "", IReadOnlyDictionary<string, string>? variables = null) =>
        Read("""{"services": {"web": """ + serviceBody + "}" + topLevel + "}", variables: variables).Services["web"];

    public static string Error(string json) =>
        Assert.Throws<Berth.Compose.ComposeException>(() => Read(json)).Message;

    public static string WebError(string serviceBody, string topLevel = "") =>
        Error("""{"services": {"web": """ + serviceBody + "}" + topLevel + "}");
}

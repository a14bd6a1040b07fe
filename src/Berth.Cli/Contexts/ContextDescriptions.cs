using System.Text.Json.Nodes;
using Berth.Client.Contexts;
using Berth.Client.Hosts;

namespace Berth.Cli.Contexts;

/// <summary>What ls and inspect show of a context: the stored ones as stored, and the implicit default one.</summary>
public static class ContextDescriptions
{
    private const string InMemory = "<IN MEMORY>";

    /// <summary>The default context: the host flags and variables (or berth's own socket), nothing stored.</summary>
    public static DockerContext Default(CliContext context)
        => new(DockerContext.DefaultName, "", DaemonHostResolver.Resolve(context.HostFlags, context.Environment, context.FlagTls is not null).ToString(), false);

    /// <summary>docker's inspect element: meta.json's fields, the TLS file names, and where the store keeps them.</summary>
    public static JsonObject Inspect(CliContext context, DockerContext described)
    {
        var json = described.ToJson();
        var store = context.Contexts;
        var isDefault = described.Name == DockerContext.DefaultName;
        var tls = new JsonObject();
        if (!isDefault && store.TlsFiles(described.Name) is { Count: > 0 } files)
            tls["docker"] = new JsonArray(files.Select(f => (JsonNode?)f).ToArray());
        json["TLSMaterial"] = tls;
        json["Storage"] = new JsonObject
        {
            ["MetadataPath"] = isDefault ? InMemory : store.MetadataDirectory(described.Name),
            ["TLSPath"] = isDefault ? InMemory : store.TlsDirectory(described.Name),
        };
        return json;
    }
}

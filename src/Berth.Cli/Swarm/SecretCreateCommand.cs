using System.Text.Json.Nodes;
using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>secret create</c> and <c>config create</c> NAME FILE|-: the content base64 in Data; prints the new ID.</summary>
public static class SecretCreateCommand
{
    public static readonly CommandSpec SecretSpec = new("create", "[OPTIONS] SECRET [file|-]", "Create a secret from a file or STDIN as content",
    [
        FlagSpec.String("driver", 'd', "Secret driver"),
        FlagSpec.List("label", 'l', "Secret labels"),
        FlagSpec.String("template-driver", null, "Template driver"),
    ], ArgRule.Between(1, 2), (c, f) => RunAsync(c, f, SecretKind.Secret));

    public static readonly CommandSpec ConfigSpec = new("create", "[OPTIONS] CONFIG file|-", "Create a config from a file or STDIN",
    [
        FlagSpec.List("label", 'l', "Config labels"),
        FlagSpec.String("template-driver", null, "Template driver"),
    ], ArgRule.Exactly(2), (c, f) => RunAsync(c, f, SecretKind.Config));

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags, SecretKind kind)
    {
        var driver = kind.HasDriver ? flags.String("driver") ?? "" : "";
        if (flags.Positionals.Count < 2 && driver.Length == 0)
            throw new CliException("secret file is required");
        var spec = new JsonObject
        {
            ["Name"] = flags.Positionals[0],
            ["Labels"] = SpecJson.Map(KeyValueFlags.ToDictionary(flags.List("label"))),
        };
        if (flags.Positionals.Count > 1)
            spec["Data"] = Convert.ToBase64String(await ReadAsync(context, flags.Positionals[1]));
        if (driver.Length > 0)
            spec["Driver"] = new JsonObject { ["Name"] = driver };
        if (flags.String("template-driver") is { Length: > 0 } template)
            spec["Templating"] = new JsonObject { ["Name"] = template };
        var id = await context.Client.CreateSecretAsync(kind.Resource, spec, context.Cancellation);
        context.Out.Write(id + "\n");
        return 0;
    }

    private static async Task<byte[]> ReadAsync(CliContext context, string path)
    {
        if (path == "-")
        {
            using var buffer = new MemoryStream();
            await context.Stdin.CopyToAsync(buffer, context.Cancellation);
            return buffer.ToArray();
        }
        try
        {
            return await File.ReadAllBytesAsync(path, context.Cancellation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"error reading from {path}: open {path}: no such file or directory");
        }
    }
}

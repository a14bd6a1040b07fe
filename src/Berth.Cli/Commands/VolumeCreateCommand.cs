using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>volume create</c>: the body docker sends (Name, Driver, DriverOpts, Labels); prints the volume's name.</summary>
public static class VolumeCreateCommand
{
    public static readonly CommandSpec Spec = new("create", "[OPTIONS] [VOLUME]", "Create a volume",
    [
        FlagSpec.String("driver", 'd', "Specify volume driver name", "local"),
        FlagSpec.List("label", null, "Set metadata for a volume"),
        FlagSpec.String("name", null, "Specify volume name"),
        FlagSpec.List("opt", 'o', "Set driver specific options"),
    ], ArgRule.Between(0, 1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.String("name");
        if (flags.Positionals.Count == 1)
        {
            if (!string.IsNullOrEmpty(name) && name != flags.Positionals[0])
                throw new CliException($"conflicting options: cannot specify a volume-name through both --name and as a positional arg");
            name = flags.Positionals[0];
        }
        var body = new JsonObject
        {
            ["Driver"] = flags.StringOr("driver", "local"),
            ["DriverOpts"] = KeyValueFlags.ToObject(flags.List("opt")),
            ["Labels"] = KeyValueFlags.ToObject(flags.List("label")),
            ["Name"] = name ?? "",
        };
        var volume = await context.Client.CreateVolumeAsync(body, context.Cancellation);
        context.Out.Write((volume["Name"]?.GetValue<string>() ?? "") + "\n");
        return 0;
    }
}

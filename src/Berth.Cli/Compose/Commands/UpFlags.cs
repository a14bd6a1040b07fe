using System.Globalization;
using Berth.Cli.Parsing;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary>The flags <c>up</c> and <c>create</c> share, and how they become <see cref="UpOptions"/>.</summary>
public static class UpFlags
{
    public static readonly IReadOnlyList<FlagSpec> Shared =
    [
        FlagSpec.Bool("build", null, "Build images before starting containers"),
        FlagSpec.Bool("force-recreate", null, "Recreate containers even if their configuration and image haven't changed"),
        FlagSpec.Bool("no-build", null, "Don't build an image, even if it's policy"),
        FlagSpec.Bool("no-recreate", null, "If containers already exist, don't recreate them. Incompatible with --force-recreate."),
        FlagSpec.String("pull", null, "Pull image before running (\"always\"|\"missing\"|\"never\"|\"build\")", "policy"),
        FlagSpec.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file"),
        FlagSpec.List("scale", null, "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present."),
    ];

    public static UpOptions Options(ParsedFlags flags, bool noStart)
    {
        if (flags.Bool("force-recreate") && flags.Bool("no-recreate"))
            throw new CliException("--force-recreate and --no-recreate are incompatible");
        if (flags.Bool("build") && flags.Bool("no-build"))
            throw new CliException("--build and --no-build are incompatible");
        var pull = flags.String("pull");
        if (pull is not null and not ("always" or "missing" or "never" or "build" or "policy"))
            throw new CliException($"invalid --pull option \"{pull}\"");
        return new UpOptions
        {
            Services = flags.Positionals,
            NoDeps = flags.Bool("no-deps"),
            ForceRecreate = flags.Bool("force-recreate"),
            NoRecreate = flags.Bool("no-recreate"),
            NoStart = noStart || flags.Bool("no-start"),
            Build = flags.Bool("build"),
            NoBuild = flags.Bool("no-build"),
            Pull = pull is "policy" ? null : pull,
            RemoveOrphans = flags.Bool("remove-orphans"),
            Scale = Scale(flags.List("scale")),
            Wait = flags.Bool("wait"),
            WaitTimeout = (int?)flags.Int("wait-timeout"),
            Timeout = (int?)flags.Int("timeout"),
            RenewAnonymousVolumes = flags.Bool("renew-anon-volumes"),
        };
    }

    private static Dictionary<string, int> Scale(IReadOnlyList<string> values)
    {
        var scale = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var parts = value.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                throw new CliException($"invalid --scale option \"{value}\": expected SERVICE=NUM");
            scale[parts[0]] = count;
        }
        return scale;
    }
}

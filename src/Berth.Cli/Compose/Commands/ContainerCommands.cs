using Berth.Cli.Parsing;

namespace Berth.Cli.Compose.Commands;

/// <summary>
/// Compose commands that are docker's commands on a service's containers: cp, attach and stats resolve the service
/// to its container(s) and run berth's own cp, attach and stats.
/// </summary>
public static class ContainerCommands
{
    public static readonly ComposeCommandSpec CpSpec = new("cp", "[OPTIONS] SERVICE:SRC_PATH DEST_PATH|-\n\tberth compose cp [OPTIONS] SRC_PATH|- SERVICE:DEST_PATH",
        "Copy files/folders between a service container and the local filesystem",
    [
        FlagSpec.Bool("archive", 'a', "Archive mode (copy all uid/gid information)"),
        FlagSpec.Bool("follow-link", 'L', "Always follow symbol link in SRC_PATH"),
        FlagSpec.Int("index", null, "Index of the container if service has multiple replicas", "1"),
    ], ArgRule.Exactly(2), CopyAsync);

    public static readonly ComposeCommandSpec AttachSpec = new("attach", "[OPTIONS] SERVICE",
        "Attach local standard input, output, and error streams to a service's running container",
    [
        FlagSpec.String("detach-keys", null, "Override the key sequence for detaching from a container."),
        FlagSpec.Int("index", null, "index of the container if service has multiple replicas.", "1"),
        FlagSpec.Bool("no-stdin", null, "Do not attach STDIN"),
        FlagSpec.Bool("sig-proxy", null, "Proxy all received signals to the process (default true)"),
    ], ArgRule.Exactly(1), AttachAsync);

    public static readonly ComposeCommandSpec StatsSpec = new("stats", "[OPTIONS] [SERVICE]", "Display a live stream of container(s) resource usage statistics",
    [
        FlagSpec.Bool("all", 'a', "Show all containers (default shows just running)"),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Bool("no-stream", null, "Disable streaming stats and only pull the first result"),
        FlagSpec.Bool("no-trunc", null, "Do not truncate output"),
    ], ArgRule.Between(0, 1), StatsAsync);

    private static async Task<int> CopyAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        var index = flags.Int("index") ?? 1;
        List<string> args = [];
        if (flags.Bool("archive")) args.Add("--archive");
        if (flags.Bool("follow-link")) args.Add("--follow-link");
        foreach (var path in flags.Positionals)
        {
            var colon = path.IndexOf(':');
            // SERVICE:PATH names a service; a local path has no colon before its first slash.
            if (colon > 0 && !path[..colon].Contains('/'))
            {
                var container = await session.RunningContainerAsync(project, path[..colon], index);
                args.Add(container.Id + path[colon..]);
            }
            else
            {
                args.Add(path);
            }
        }
        return await session.RunBerthCommandAsync(Berth.Cli.Commands.CpCommand.Spec, args);
    }

    private static async Task<int> AttachAsync(ComposeSession session, ParsedFlags flags)
    {
        var container = await session.RunningContainerAsync(session.ExistingProject(), flags.Positionals[0], flags.Int("index") ?? 1);
        List<string> args = [];
        if (flags.String("detach-keys") is { } keys) args.AddRange(["--detach-keys", keys]);
        if (flags.Bool("no-stdin")) args.Add("--no-stdin");
        if (flags.OptionalBool("sig-proxy") is { } proxy) args.Add($"--sig-proxy={(proxy ? "true" : "false")}");
        args.Add(container.Id);
        return await session.RunBerthCommandAsync(Berth.Cli.Commands.AttachCommand.Spec, args);
    }

    private static async Task<int> StatsAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        var containers = await session.Runner(project).ListContainersAsync(flags.Positionals, flags.Bool("all"), includeOneOff: false, session.Context.Cancellation);
        if (containers.Count == 0)
            return 0;
        List<string> args = [];
        if (flags.Bool("all")) args.Add("--all");
        if (flags.Bool("no-stream")) args.Add("--no-stream");
        if (flags.Bool("no-trunc")) args.Add("--no-trunc");
        if (flags.String("format") is { } format) args.AddRange(["--format", format]);
        args.AddRange(containers.Select(c => c.Name));
        return await session.RunBerthCommandAsync(Berth.Cli.Commands.StatsCommand.Spec, args);
    }
}

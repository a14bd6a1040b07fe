using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose logs</c>: the containers' logs, each line prefixed with its container (<c>web-1  | </c>).</summary>
public static class LogsCommand
{
    public static readonly ComposeCommandSpec Spec = new("logs", "[OPTIONS] [SERVICE...]", "View output from containers",
    [
        FlagSpec.Bool("follow", 'f', "Follow log output"),
        FlagSpec.Int("index", null, "index of the container if service has multiple replicas"),
        FlagSpec.Bool("no-color", null, "Produce monochrome output"),
        FlagSpec.Bool("no-log-prefix", null, "Don't print prefix in logs"),
        FlagSpec.String("since", null, "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
        FlagSpec.String("tail", 'n', "Number of lines to show from the end of the logs for each container", "all"),
        FlagSpec.Bool("timestamps", 't', "Show timestamps"),
        FlagSpec.String("until", null, "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        var context = session.Context;
        var containers = (await session.Runner(project).ListContainersAsync(flags.Positionals, all: true, includeOneOff: true, context.Cancellation)).ToList();
        if (flags.Int("index") is { } index)
            containers = containers.Where(c => c.Number == index).ToList();
        var options = Berth.Cli.Commands.LogsCommand.Options(flags);
        context.FlushOut();
        try
        {
            await new LogPrinter(context, containers, prefix: !flags.Bool("no-log-prefix")).PrintAllAsync(options, context.Cancellation);
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested && options.Follow)
        {
            // Ctrl-C ends logs -f quietly.
        }
        return 0;
    }
}

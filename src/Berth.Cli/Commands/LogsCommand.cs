using Berth.Client;
using Berth.Client.Streams;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class LogsCommand
{
    public static readonly CommandSpec Spec = new("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container",
    [
        FlagSpec.Bool("details", null, "Show extra details provided to logs"),
        FlagSpec.Bool("follow", 'f', "Follow log output"),
        FlagSpec.String("since", null, "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
        FlagSpec.String("tail", 'n', "Number of lines to show from the end of the logs", "all"),
        FlagSpec.Bool("timestamps", 't', "Show timestamps"),
        FlagSpec.String("until", null, "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
    ], ArgRule.Exactly(1), RunAsync);

    /// <summary>The flags logs and compose logs share (follow, timestamps, since, until, tail), for the API.</summary>
    public static LogsOptions Options(ParsedFlags flags)
    {
        var now = DateTimeOffset.UtcNow;
        return new LogsOptions(
            Follow: flags.Bool("follow"),
            Timestamps: flags.Bool("timestamps"),
            Since: flags.String("since") is { } since ? Timestamps.ToApi(since, now) : null,
            Until: flags.String("until") is { } until ? Timestamps.ToApi(until, now) : null,
            Tail: flags.StringOr("tail", "all"));
    }

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        var container = await context.Client.InspectContainerAsync(name, false, context.Cancellation);
        var tty = container.Obj("Config").Bool("Tty");
        var options = Options(flags) with { Details = flags.Bool("details") };
        context.FlushOut();
        await using var logs = await context.Client.ContainerLogsAsync(name, options, context.Cancellation);
        if (tty)
            await logs.CopyToAsync(context.StdoutStream, context.Cancellation);
        else
            await new MultiplexedStreamReader(logs).DemuxAsync(context.StdoutStream, context.StderrStream, context.Cancellation);
        return 0;
    }
}

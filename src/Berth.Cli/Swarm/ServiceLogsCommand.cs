using Berth.Client;
using Berth.Client.Streams;
using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary>
/// <c>service logs SERVICE|TASK</c>: the logs with details=1, each line prefixed with "NAME.SLOT.TASKID@NODE    | "
/// built from the swarm attributes the daemon sends; --raw passes the lines through.
/// </summary>
public static class ServiceLogsCommand
{
    public static readonly CommandSpec Spec = new("logs", "[OPTIONS] SERVICE|TASK", "Fetch the logs of a service or task",
    [
        FlagSpec.Bool("details", null, "Show extra details provided to logs"),
        FlagSpec.Bool("follow", 'f', "Follow log output"),
        FlagSpec.Bool("no-resolve", null, "Do not map IDs to Names in output"),
        FlagSpec.Bool("no-task-ids", null, "Do not include task IDs in output"),
        FlagSpec.Bool("no-trunc", null, "Do not truncate output"),
        FlagSpec.Bool("raw", null, "Do not neatly format logs"),
        FlagSpec.String("since", null, "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
        FlagSpec.String("tail", 'n', "Number of lines to show from the end of the logs", "all"),
        FlagSpec.Bool("timestamps", 't', "Show timestamps"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var target = flags.Positionals[0];
        var raw = flags.Bool("raw");
        var options = LogsCommand.Options(flags) with { Details = flags.Bool("details") || !raw };
        string resource;
        bool tty;
        var padding = 1;
        try
        {
            var service = await context.Client.InspectServiceAsync(target, context.Cancellation);
            resource = "services";
            tty = service.Spec.Obj("TaskTemplate").Obj("ContainerSpec").Bool("TTY");
            if (service.Spec.Obj("Mode").Obj("Replicated")?["Replicas"] is not null)
                padding = service.Spec.Obj("Mode").Obj("Replicated").Long("Replicas").ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        }
        catch (EngineApiException e) when (e.IsNotFound)
        {
            try
            {
                var task = await context.Client.InspectTaskAsync(target, context.Cancellation);
                resource = "tasks";
                tty = task.Spec.Obj("ContainerSpec").Bool("TTY");
                padding = task.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
            }
            catch (EngineApiException inner) when (inner.IsNotFound)
            {
                throw new CliException($"no such task or service: {target}");
            }
        }
        if (tty && !raw)
            throw new CliException("tty service logs only supported with --raw");
        context.FlushOut();
        await using var logs = await context.Client.SwarmLogsAsync(resource, target, options, context.Cancellation);
        Stream stdout = context.StdoutStream, stderr = context.StderrStream;
        if (!raw)
        {
            var prefixes = new TaskLogPrefixes(context.Client, new NameResolver(context.Client, flags.Bool("no-resolve")),
                padding, flags.Bool("no-task-ids"), flags.Bool("no-trunc"));
            stdout = new TaskLogWriter(stdout, prefixes, flags.Bool("timestamps"), flags.Bool("details"), context.Cancellation);
            stderr = new TaskLogWriter(stderr, prefixes, flags.Bool("timestamps"), flags.Bool("details"), context.Cancellation);
        }
        if (tty)
            await logs.CopyToAsync(stdout, context.Cancellation);
        else
            await new MultiplexedStreamReader(logs).DemuxAsync(stdout, stderr, context.Cancellation);
        return 0;
    }
}

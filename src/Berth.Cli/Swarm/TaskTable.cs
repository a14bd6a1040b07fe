using Berth.Api;
using Berth.Cli.Formatting;

namespace Berth.Cli.Swarm;

/// <summary>Prints tasks as service ps and node ps do, resolving service and node names first.</summary>
public static class TaskTable
{
    public static async Task WriteAsync(CliContext context, List<SwarmTask> tasks, string? format, bool quiet, bool truncate, bool noResolve)
    {
        var formatter = new ListFormatter(format, TaskRows.DefaultTable, quiet);
        var (services, nodes) = await new NameResolver(context.Client, noResolve).PrepareAsync(tasks, context.Cancellation);
        var table = quiet ? false : format is null or "" or "table" || format.StartsWith("table", StringComparison.Ordinal);
        var rows = TaskRows.Rows(tasks, services, nodes, truncate, table, DateTimeOffset.UtcNow);
        context.Out.Write(formatter.Render(TaskRows.Header(), rows));
    }
}

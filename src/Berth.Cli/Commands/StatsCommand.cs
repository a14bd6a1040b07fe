using System.Collections.Concurrent;
using System.Text;
using Berth.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// docker stats: one table of every container's latest reading; with --no-stream a single reading each, otherwise a
/// table redrawn in place twice a second (cursor home, each line cleared to its end, the rest of the screen cleared).
/// </summary>
public static class StatsCommand
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ListRefresh = TimeSpan.FromSeconds(2);

    public static readonly CommandSpec Spec = new("stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics",
    [
        FlagSpec.Bool("all", 'a', "Show all containers (default shows just running)"),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Bool("no-stream", null, "Disable streaming stats and only pull the first result"),
        FlagSpec.Bool("no-trunc", null, "Do not truncate output"),
    ], ArgRule.Any, RunAsync);

    private sealed record Target(string Container, string Id);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var formatter = new ListFormatter(flags.String("format"), StatsRows.DefaultTable, quiet: false);
        bool truncate = !flags.Bool("no-trunc");
        var named = flags.Positionals.Select(name => new Target(name, name)).ToList();
        if (flags.Bool("no-stream"))
        {
            var targets = named.Count > 0 ? named : await ListAsync(context, flags.Bool("all"));
            return await OnceAsync(context, formatter, targets, truncate);
        }
        return await StreamAsync(context, formatter, named, flags.Bool("all"), truncate);
    }

    private static async Task<List<Target>> ListAsync(CliContext context, bool all)
    {
        var containers = await context.Client.ListContainersAsync(all, -1, false, null, context.Cancellation);
        return containers.Select(c => c.Str("Id")).Where(id => id.Length > 0).Select(id => new Target(id[..Math.Min(12, id.Length)], id)).ToList();
    }

    private static async Task<int> OnceAsync(CliContext context, ListFormatter formatter, List<Target> targets, bool truncate)
    {
        var readings = targets.Select(t => context.Client.ContainerStatsAsync(t.Id, oneShot: false, context.Cancellation)).ToList();
        var rows = new List<System.Text.Json.Nodes.JsonObject>();
        var errors = new List<string>();
        for (int i = 0; i < targets.Count; i++)
        {
            try
            {
                rows.Add(StatsRows.Row(StatsEntry.From(targets[i].Container, await readings[i]), truncate));
            }
            catch (EngineApiException e)
            {
                errors.Add(e.Message);
            }
        }
        if (errors.Count > 0)
        {
            foreach (var error in errors) context.Err.Write($"Error response from daemon: {error}\n");
            return 1;
        }
        context.Out.Write(formatter.Render(StatsRows.Header(), rows));
        return 0;
    }

    /// <summary>The latest reading of one container, kept up to date by a stream of its own.</summary>
    private sealed class Watch(Target target) : IDisposable
    {
        public Target Target { get; } = target;
        public CancellationTokenSource Stop { get; } = new();
        public volatile StatsEntry? Latest;
        public volatile string? Error;

        public void Dispose()
        {
            Stop.Cancel();
            Stop.Dispose();
        }
    }

    private static async Task<int> StreamAsync(CliContext context, ListFormatter formatter, List<Target> named, bool all, bool truncate)
    {
        var watches = new ConcurrentDictionary<string, Watch>(StringComparer.Ordinal);
        void Watch(Target target)
        {
            var watch = new Watch(target);
            if (!watches.TryAdd(target.Id, watch))
            {
                watch.Dispose();
                return;
            }
            var token = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation, watch.Stop.Token).Token;
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var stats in context.Client.StreamContainerStatsAsync(target.Id, token))
                        watch.Latest = StatsEntry.From(target.Container, stats);
                }
                catch (EngineApiException e)
                {
                    watch.Error = e.Message;
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
                {
                    // Stopped watching, or the daemon ended the stream.
                }
            }, CancellationToken.None);
        }

        foreach (var target in named) Watch(target);
        var lastList = DateTimeOffset.MinValue;
        try
        {
            while (!context.Cancellation.IsCancellationRequested)
            {
                if (named.Count == 0 && DateTimeOffset.UtcNow - lastList >= ListRefresh)
                {
                    var current = await ListAsync(context, all);
                    foreach (var target in current) Watch(target);
                    foreach (var gone in watches.Keys.Except(current.Select(t => t.Id)).ToList())
                        if (watches.TryRemove(gone, out var watch)) watch.Dispose();
                    lastList = DateTimeOffset.UtcNow;
                }
                var errors = watches.Values.Where(w => w.Error is not null).ToList();
                if (named.Count > 0 && errors.Count == watches.Count)
                {
                    foreach (var watch in errors) context.Err.Write($"Error response from daemon: {watch.Error}\n");
                    return 1;
                }
                var order = named.Count > 0 ? named.Select(t => t.Id) : watches.Keys.Order(StringComparer.Ordinal);
                var rows = order.Select(id => watches.TryGetValue(id, out var w) ? w : null)
                    .Where(w => w is not null && w.Error is null)
                    .Select(w => StatsRows.Row(w!.Latest ?? Empty(w.Target), truncate));
                context.Out.Write(Frame(formatter.Render(StatsRows.Header(), rows)));
                context.FlushOut();
                await Task.Delay(Redraw, context.Cancellation);
            }
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            // ctrl-C: the normal way out.
        }
        finally
        {
            foreach (var watch in watches.Values) watch.Dispose();
        }
        return 0;
    }

    private static StatsEntry Empty(Target target) => new(target.Container, target.Id, "", 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Draws over the previous frame: home, every line cleared to its end, then everything below cleared.</summary>
    private static string Frame(string table)
    {
        var frame = new StringBuilder("\u001b[H");
        foreach (var line in table.TrimEnd('\n').Split('\n')) frame.Append(line).Append("\u001b[K\n");
        return frame.Append("\u001b[J").ToString();
    }
}

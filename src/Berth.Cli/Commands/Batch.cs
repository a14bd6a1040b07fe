using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// Runs one action per named object concurrently (as docker's stop/kill/rm do), then reports in argument order:
/// the name on stdout for each success, the daemon's error on stderr for each failure; exit 1 if any failed.
/// </summary>
public static class Batch
{
    private const int MaxParallel = 16;

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> names, Func<string, Task> action,
        Func<IReadOnlyList<string>, string>? summary = null)
    {
        using var gate = new SemaphoreSlim(MaxParallel);
        var tasks = names.Select(async name =>
        {
            await gate.WaitAsync(context.Cancellation);
            try
            {
                await action(name);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var failed = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            try
            {
                await tasks[i];
                context.Out.Write(names[i] + "\n");
            }
            catch (EngineApiException e)
            {
                context.FlushOut();
                context.Err.Write($"Error response from daemon: {e.Message}\n");
                failed.Add(names[i]);
            }
        }
        if (failed.Count == 0)
            return 0;
        if (summary is not null)
        {
            context.FlushOut();
            context.Err.Write(summary(failed) + "\n");
        }
        return 1;
    }
}

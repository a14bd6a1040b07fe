namespace Berth.Cli.Swarm;

/// <summary>The wait after create/update/scale/rollback: progress on stdout (or nothing with -q), errors as docker words them.</summary>
public static class ServiceWait
{
    public static async Task<int> RunAsync(CliContext context, string serviceId, bool quiet)
    {
        context.FlushOut();
        var output = quiet ? TextWriter.Null : context.Out;
        await new ServiceProgress(context.Client, output).WaitAsync(serviceId, context.Cancellation);
        context.FlushOut();
        return 0;
    }
}

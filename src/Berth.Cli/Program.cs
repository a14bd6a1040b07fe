using System.Runtime.InteropServices;
using Berth.Cli;

using var cancellation = new CancellationTokenSource();
// Ctrl-C ends streaming commands (logs -f, events) quietly; run installs its own handlers to proxy signals.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    if (SignalRouting.TryHandle(context.Signal))
    {
        context.Cancel = true;
        return;
    }
    context.Cancel = true;
    cancellation.Cancel();
});
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    if (SignalRouting.TryHandle(context.Signal))
    {
        context.Cancel = true;
        return;
    }
    context.Cancel = true;
    cancellation.Cancel();
});

try
{
    return await CliApp.RunAsync(args, StdStreams.Open(0, FileAccess.Read), StdStreams.Open(1, FileAccess.Write), StdStreams.Open(2, FileAccess.Write),
        Environment.GetEnvironmentVariable, cancellation.Token);
}
catch (Exception e)
{
    // A bug, not a user error: say so with the whole story instead of aborting.
    Console.Error.WriteLine($"berth: internal error: {e}");
    return 1;
}

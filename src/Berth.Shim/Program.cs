using Berth.Shim;
using Berth.Shim.Native;

// berth-shim <stateDir> [--await-go]: see ShimConfig for the launch contract and Shim for what it does.
bool awaitGo = args is [_, "--await-go"];
if (args.Length != (awaitGo ? 2 : 1))
{
    Fd.WriteAll(1, "error usage: berth-shim <state-dir> [--await-go]\n"u8);
    return 2;
}

var files = new StateFiles(Path.GetFullPath(args[0]));
if (awaitGo && !ShimProcess.AwaitGo()) return 0;
ShimProcess.Detach(files.ShimLog);

Shim? shim = null;
try
{
    shim = new Shim(ShimConfig.Load(files.Config), files);
    int pid = shim.Create();
    ShimProcess.ReportToLauncher($"created {pid}\n");
}
catch (Exception e) when (e is StartupError or UnixError or IOException or InvalidDataException
                              or InvalidOperationException or UnauthorizedAccessException)
{
    if (e is not StartupError) ShimDiagnostics.Warn($"create failed: {e.Message}");
    try { shim?.CleanUpFailedCreate(); } catch (Exception cleanup) when (cleanup is UnixError or IOException) { }
    shim?.Dispose();
    ShimProcess.ReportToLauncher($"error {Berth.Shim.Protocol.ShimReply.OneLine(e.Message)}\n");
    return 1;
}

try
{
    shim.Serve();
    return 0;
}
catch (Exception e)
{
    ShimDiagnostics.Warn($"fatal: {e.Message}");
    return 1;
}
finally
{
    shim.Dispose();
}

using Berth.TestPlugin;

// berth-test-plugin --socket PATH --root DIR: serves Docker's volume plugin protocol on PATH, keeping each volume as
// the directory DIR/<name>. Runs until SIGTERM/SIGINT, then removes its socket.
string? socket = null, root = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--socket": socket = args[i + 1]; break;
        case "--root": root = args[i + 1]; break;
        default: return Usage();
    }
}
if (socket is null || root is null || args.Length % 2 != 0)
    return Usage();

using var stop = new CancellationTokenSource();
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

var driver = new VolumeDriver(root);
await new UnixHttpServer(socket, driver.Handle).RunAsync(stop.Token);
return 0;

static int Usage()
{
    Console.Error.WriteLine("usage: berth-test-plugin --socket PATH --root DIR");
    return 2;
}

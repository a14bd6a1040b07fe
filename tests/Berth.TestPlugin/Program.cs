using Berth.TestPlugin;

// berth-test-plugin --socket PATH --root DIR: serves Docker's volume plugin protocol on PATH, keeping each volume as
// the directory DIR/<name>. berth-test-plugin --socket PATH --authz-log FILE: an authorization plugin instead (see
// AuthzPlugin). berth-test-plugin --socket PATH --logdriver-log FILE [--readlogs false]: a logging plugin (see
// LogDriverPlugin), serving ReadLogs unless told not to. Runs until SIGTERM/SIGINT, then removes its socket.
string? socket = null, root = null, authzLog = null, logDriverLog = null;
bool readLogs = true;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--socket": socket = args[i + 1]; break;
        case "--root": root = args[i + 1]; break;
        case "--authz-log": authzLog = args[i + 1]; break;
        case "--logdriver-log": logDriverLog = args[i + 1]; break;
        case "--readlogs": readLogs = args[i + 1] != "false"; break;
        default: return Usage();
    }
}
if (socket is null || new[] { root, authzLog, logDriverLog }.Count(mode => mode is not null) != 1 || args.Length % 2 != 0)
    return Usage();

using var stop = new CancellationTokenSource();
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

Func<string, byte[], PluginResponse> handle = authzLog is not null ? new AuthzPlugin(authzLog).Handle
    : logDriverLog is not null ? new LogDriverPlugin(logDriverLog, readLogs).Handle
    : new VolumeDriver(root!).Handle;
await new UnixHttpServer(socket, handle).RunAsync(stop.Token);
return 0;

static int Usage()
{
    Console.Error.WriteLine("usage: berth-test-plugin --socket PATH (--root DIR | --authz-log FILE | --logdriver-log FILE [--readlogs false])");
    return 2;
}

namespace Berth.Engine.Runtime.Shim;

/// <summary>
/// Everything a berth-shim needs to run one container. <see cref="StateDir"/> is the shim's own directory
/// (shim.json, shim.sock, init.pid, exit.json, shim.log, runc.log); <see cref="CgroupPath"/> is the
/// linux.cgroupsPath of the bundle's config.json (used to detect OOM kills). An empty <see cref="LogPath"/> disables
/// the log; with <see cref="LogCompress"/> rotated log files are gzipped, and with <see cref="LogNonBlocking"/> output
/// the log cannot take in time is dropped rather than waited for (the log driver's mode=non-blocking). With
/// <see cref="LogForward"/> the lines are also sent to a log server (the log file is then Docker's dual-logging cache).
/// <see cref="RuntimeArgs"/> are the runtime's global options; <see cref="RuntimeIsRunc"/> allows the shim's shortcuts
/// that only runc's containers support (see <see cref="Runtime.OciRuntime.IsRunc"/>).
/// </summary>
public sealed record ShimLaunchSpec(
    string Id,
    string Bundle,
    string StateDir,
    string Runtime,
    string RuntimeRoot,
    string LogPath,
    bool OpenStdin,
    bool StdinOnce,
    bool Tty,
    int ConsoleHeight,
    int ConsoleWidth,
    string CgroupPath,
    long LogMaxSize = 0,
    int LogMaxFiles = 1,
    bool LogCompress = false,
    bool LogNonBlocking = false,
    LogForwardSpec? LogForward = null,
    IReadOnlyList<string>? RuntimeArgs = null,
    bool RuntimeIsRunc = true);

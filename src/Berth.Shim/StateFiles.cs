namespace Berth.Shim;

/// <summary>The files of a shim's state directory (the daemon's client uses the same names).</summary>
internal sealed class StateFiles(string stateDir)
{
    public string Directory { get; } = stateDir;
    public string Config { get; } = Path.Combine(stateDir, "shim.json");
    public string Socket { get; } = Path.Combine(stateDir, "shim.sock");
    public string ConsoleSocket { get; } = Path.Combine(stateDir, "console.sock");
    public string InitPid { get; } = Path.Combine(stateDir, "init.pid");
    public string Exit { get; } = Path.Combine(stateDir, "exit.json");
    public string RuntimeLog { get; } = Path.Combine(stateDir, "runc.log");
    public string ShimLog { get; } = Path.Combine(stateDir, "shim.log");
}

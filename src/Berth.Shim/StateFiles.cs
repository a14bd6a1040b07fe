namespace Berth.Shim;

/// <summary>The files of a shim's state directory (the daemon's client uses the same names).</summary>
internal sealed class StateFiles(string stateDir)
{
    public string Directory { get; } = stateDir;
    public string Config => Path.Combine(Directory, "shim.json");
    public string Socket => Path.Combine(Directory, "shim.sock");
    public string ConsoleSocket => Path.Combine(Directory, "console.sock");
    public string InitPid => Path.Combine(Directory, "init.pid");
    public string Exit => Path.Combine(Directory, "exit.json");
    public string RuntimeLog => Path.Combine(Directory, "runc.log");
    public string ShimLog => Path.Combine(Directory, "shim.log");
}

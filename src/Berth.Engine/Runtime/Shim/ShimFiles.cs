namespace Berth.Engine.Runtime.Shim;

/// <summary>The files in a shim's state directory; berth-shim uses the same names.</summary>
public static class ShimFiles
{
    public const string Config = "shim.json";
    public const string Socket = "shim.sock";
    public const string InitPid = "init.pid";
    public const string Exit = "exit.json";
    /// <summary>The shim's own diagnostics (its stderr).</summary>
    public const string ShimLog = "shim.log";
    /// <summary>runc's --log file (json lines).</summary>
    public const string RuntimeLog = "runc.log";
}

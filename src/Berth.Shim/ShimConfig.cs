using Berth.Shim.Runtime;

namespace Berth.Shim;

/// <summary>
/// <c>&lt;stateDir&gt;/shim.json</c>, written by the daemon before it spawns the shim (camelCase JSON, one flat object).
/// Read with <see cref="JsonTree"/>: System.Text.Json would cost each shim a few hundred KiB of memory.
/// An empty <see cref="LogPath"/> means no log (Docker's "none" log driver).
/// </summary>
internal sealed class ShimConfig
{
    public string Id { get; set; } = "";
    public string Bundle { get; set; } = "";
    public string Runtime { get; set; } = "/usr/sbin/runc";
    public string RuntimeRoot { get; set; } = "";
    /// <summary>The runtime's global options, given before the subcommand (daemon.json "runtimeArgs").</summary>
    public List<string> RuntimeArgs { get; set; } = [];
    /// <summary>
    /// The runtime is berthd's runc: the shim may start through the exec fifo, exec natively (setns) and remove a stopped
    /// container's state itself. Any other runtime is run for each of those (a gVisor sandbox cannot be entered by setns).
    /// </summary>
    public bool RuntimeIsRunc { get; set; } = true;
    public string LogPath { get; set; } = "";
    public bool OpenStdin { get; set; }
    public bool StdinOnce { get; set; }
    public bool Tty { get; set; }
    public int ConsoleHeight { get; set; }
    public int ConsoleWidth { get; set; }
    public string CgroupPath { get; set; } = "";
    public long LogMaxSize { get; set; }
    public int LogMaxFiles { get; set; } = 1;
    public bool LogCompress { get; set; }
    public bool LogNonBlocking { get; set; }
    /// <summary>Where the lines are forwarded besides the log file (syslog, gelf, fluentd, journald); null: nowhere.</summary>
    public Log.Forward.ForwardConfig? LogForward { get; set; }

    public static ShimConfig Load(string path)
    {
        var config = Parse(Native.Fd.ReadFile(path), path);
        if (config.Id.Length == 0 || config.Bundle.Length == 0 || config.RuntimeRoot.Length == 0 || config.Runtime.Length == 0)
            throw new InvalidDataException($"{path}: id, bundle, runtime and runtimeRoot are required");
        return config;
    }

    internal static ShimConfig Parse(ReadOnlySpan<byte> json, string path)
    {
        var config = new ShimConfig();
        try
        {
            if (JsonTree.Parse(json) is not Dictionary<string, object?> members) throw new InvalidDataException("not a JSON object");
            foreach (var (name, value) in members) config.Set(name, value);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: a member has the wrong type");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
        return config;
    }

    private void Set(string name, object? value)
    {
        switch (name)
        {
            case "id": Id = (string?)value ?? ""; break;
            case "bundle": Bundle = (string?)value ?? ""; break;
            case "runtime": Runtime = (string?)value ?? ""; break;
            case "runtimeRoot": RuntimeRoot = (string?)value ?? ""; break;
            case "runtimeArgs": RuntimeArgs = value is List<object?> args ? args.ConvertAll(a => (string?)a ?? "") : []; break;
            case "runtimeIsRunc": RuntimeIsRunc = (bool)value!; break;
            case "logPath": LogPath = (string?)value ?? ""; break;
            case "cgroupPath": CgroupPath = (string?)value ?? ""; break;
            case "openStdin": OpenStdin = (bool)value!; break;
            case "stdinOnce": StdinOnce = (bool)value!; break;
            case "tty": Tty = (bool)value!; break;
            case "consoleHeight": ConsoleHeight = Int32(value); break;
            case "consoleWidth": ConsoleWidth = Int32(value); break;
            case "logMaxSize": LogMaxSize = ((JsonNumber)value!).ToInt64(); break;
            case "logMaxFiles": LogMaxFiles = Int32(value); break;
            case "logCompress": LogCompress = (bool)value!; break;
            case "logNonBlocking": LogNonBlocking = (bool)value!; break;
            case "logForward": LogForward = value is Dictionary<string, object?> forward ? Log.Forward.ForwardConfig.From(forward) : null; break;
            // Members of newer daemons are ignored.
        }
    }

    private static int Int32(object? value)
    {
        long n = ((JsonNumber)value!).ToInt64();
        return n is >= int.MinValue and <= int.MaxValue ? (int)n : throw new InvalidCastException();
    }
}

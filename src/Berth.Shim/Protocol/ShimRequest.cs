namespace Berth.Shim.Protocol;

/// <summary>
/// One request line: <c>START</c>, <c>ATTACH stdin=0|1 stdout=0|1 stderr=0|1</c>, <c>WAIT</c>, <c>KILL &lt;signal&gt;</c>,
/// <c>RESIZE &lt;height&gt; &lt;width&gt;</c>, <c>STATE</c>, <c>SHUTDOWN</c>, and
/// <c>EXEC &lt;execId&gt; tty=0|1 stdin=0|1 stdout=0|1 stderr=0|1 height=H width=W</c>. WAIT and RESIZE take
/// <c>exec=&lt;execId&gt;</c> to address an exec'd process instead of the init. Unknown <c>key=value</c> options are
/// ignored so that newer daemons can add some without breaking older shims.
/// (A class, not a record: a record's generated ToString would box the enum and pull reflection into the binary.)
/// </summary>
internal sealed class ShimRequest(ShimCommand command)
{
    public const int MaxLineLength = 512;

    public ShimCommand Command { get; } = command;
    public bool Stdin { get; init; }
    public bool Stdout { get; init; }
    public bool Stderr { get; init; }
    public int Signal { get; init; }
    public int Height { get; init; }
    public int Width { get; init; }
    public bool Tty { get; init; }

    /// <summary>The exec process addressed (EXEC, or WAIT/RESIZE with <c>exec=</c>); null for the container's init.</summary>
    public string? ExecId { get; init; }

    /// <summary>Parses a request line without its trailing newline; returns null and an error message for a bad line.</summary>
    public static ShimRequest? Parse(string line, out string error)
    {
        error = "";
        string[] words = line.TrimEnd('\r').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            error = "empty request";
            return null;
        }
        string verb = words[0];
        switch (verb)
        {
            case "START" when words.Length == 1: return new(ShimCommand.Start);
            case "WAIT" when words.Length == 1: return new(ShimCommand.Wait);
            case "WAIT" when words.Length == 2 && ExecOption(words[1]) is { } waitExec: return new(ShimCommand.Wait) { ExecId = waitExec };
            case "STATE" when words.Length == 1: return new(ShimCommand.State);
            case "SHUTDOWN" when words.Length == 1: return new(ShimCommand.Shutdown);
            case "KILL" when words.Length == 2 && int.TryParse(words[1], out int signal) && signal is > 0 and < 65:
                return new(ShimCommand.Kill) { Signal = signal };
            case "RESIZE" when words.Length == 3 && ushort.TryParse(words[1], out ushort height) && ushort.TryParse(words[2], out ushort width):
                return new(ShimCommand.Resize) { Height = height, Width = width };
            case "RESIZE" when words.Length == 4 && ushort.TryParse(words[1], out ushort height) && ushort.TryParse(words[2], out ushort width) && ExecOption(words[3]) is { } resizeExec:
                return new(ShimCommand.Resize) { Height = height, Width = width, ExecId = resizeExec };
            case "ATTACH":
                return ParseAttach(words, out error);
            case "EXEC" when words.Length >= 2 && IsExecId(words[1]):
                return ParseExec(words, out error);
        }
        error = $"bad request \"{line}\"";
        return null;
    }

    /// <summary>Exec ids name files in the state directory: letters and digits only, at most 64.</summary>
    public static bool IsExecId(string id)
    {
        if (id.Length is 0 or > 64) return false;
        foreach (char c in id)
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
    }

    private static string? ExecOption(string word) =>
        word.StartsWith("exec=", StringComparison.Ordinal) && IsExecId(word[5..]) ? word[5..] : null;

    private static ShimRequest? ParseExec(string[] words, out string error)
    {
        error = "";
        bool tty = false, stdin = false, stdout = false, stderr = false;
        ushort height = 0, width = 0;
        foreach (string word in words.AsSpan(2))
        {
            int eq = word.IndexOf('=');
            if (eq <= 0) { error = $"bad exec option \"{word}\""; return null; }
            string key = word[..eq], value = word[(eq + 1)..];
            bool ok = key switch
            {
                "tty" => Flag(value, out tty),
                "stdin" => Flag(value, out stdin),
                "stdout" => Flag(value, out stdout),
                "stderr" => Flag(value, out stderr),
                "height" => ushort.TryParse(value, out height),
                "width" => ushort.TryParse(value, out width),
                _ => true,
            };
            if (!ok) { error = $"bad exec option \"{word}\""; return null; }
        }
        return new ShimRequest(ShimCommand.Exec)
        {
            ExecId = words[1], Tty = tty, Stdin = stdin, Stdout = stdout, Stderr = stderr, Height = height, Width = width,
        };

        static bool Flag(string value, out bool flag)
        {
            flag = value == "1";
            return value is "0" or "1";
        }
    }

    private static ShimRequest? ParseAttach(string[] words, out string error)
    {
        error = "";
        bool stdin = false, stdout = false, stderr = false;
        foreach (string word in words.AsSpan(1))
        {
            int eq = word.IndexOf('=');
            if (eq <= 0) { error = $"bad attach option \"{word}\""; return null; }
            string key = word[..eq], value = word[(eq + 1)..];
            if (value is not ("0" or "1")) { if (key is "stdin" or "stdout" or "stderr") { error = $"bad attach option \"{word}\""; return null; } continue; }
            switch (key)
            {
                case "stdin": stdin = value == "1"; break;
                case "stdout": stdout = value == "1"; break;
                case "stderr": stderr = value == "1"; break;
            }
        }
        return new ShimRequest(ShimCommand.Attach) { Stdin = stdin, Stdout = stdout, Stderr = stderr };
    }
}

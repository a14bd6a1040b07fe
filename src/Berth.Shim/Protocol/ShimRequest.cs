namespace Berth.Shim.Protocol;

/// <summary>
/// One request line: <c>START</c>, <c>ATTACH stdin=0|1 stdout=0|1 stderr=0|1</c>, <c>WAIT</c>, <c>KILL &lt;signal&gt;</c>,
/// <c>RESIZE &lt;height&gt; &lt;width&gt;</c>, <c>STATE</c>, <c>SHUTDOWN</c>. Unknown <c>key=value</c> options are ignored so
/// that newer daemons can add some (an exec id, for example) without breaking older shims.
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
            case "STATE" when words.Length == 1: return new(ShimCommand.State);
            case "SHUTDOWN" when words.Length == 1: return new(ShimCommand.Shutdown);
            case "KILL" when words.Length == 2 && int.TryParse(words[1], out int signal) && signal is > 0 and < 65:
                return new(ShimCommand.Kill) { Signal = signal };
            case "RESIZE" when words.Length == 3 && ushort.TryParse(words[1], out ushort height) && ushort.TryParse(words[2], out ushort width):
                return new(ShimCommand.Resize) { Height = height, Width = width };
            case "ATTACH":
                return ParseAttach(words, out error);
        }
        error = $"bad request \"{line}\"";
        return null;
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

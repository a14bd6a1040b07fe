using System.Globalization;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Shim;

/// <summary>
/// Parses the shim's reply lines: <c>ok</c>, <c>error &lt;message&gt;</c>, <c>created &lt;pid&gt;</c>,
/// <c>running &lt;pid&gt;</c>, <c>exited &lt;code&gt; &lt;finishedAtUnixNanos&gt; &lt;oom 0|1&gt;</c>.
/// </summary>
internal static class ShimReplies
{
    /// <summary>The message of an <c>error</c> line, or null for any other line.</summary>
    public static string? Error(string line) =>
        line == "error" ? "unknown error" : line.StartsWith("error ", StringComparison.Ordinal) ? line[6..] : null;

    public static ShimState ParseState(string line)
    {
        string[] words = line.Split(' ');
        if (words.Length == 2 && words[0] is ShimState.Created or ShimState.Running && TryInt(words[1], out int pid))
            return new ShimState(words[0], pid, null);
        if (TryParseExited(words, out var exit)) return new ShimState(ShimState.Exited, 0, exit);
        throw Unexpected(line);
    }

    public static ShimExit ParseExited(string line) =>
        TryParseExited(line.Split(' '), out var exit) ? exit : throw Unexpected(line);

    public static BerthException Unexpected(string line) => BerthException.Internal($"unexpected reply from berth-shim: \"{line}\"");

    private static bool TryParseExited(string[] words, out ShimExit exit)
    {
        exit = null!;
        if (words.Length != 4 || words[0] != ShimState.Exited) return false;
        if (!TryInt(words[1], out int code) || !long.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out long nanos)) return false;
        if (words[3] is not ("0" or "1")) return false;
        exit = new ShimExit(code, Rfc3339Nano.FromUnixNanos(nanos), words[3] == "1");
        return true;
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}

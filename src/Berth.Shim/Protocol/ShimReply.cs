using System.Text;

namespace Berth.Shim.Protocol;

/// <summary>Reply lines: <c>ok</c>, <c>error &lt;message&gt;</c>, and the state lines (<c>exited code finishedAtNanos oom</c> ...).</summary>
internal static class ShimReply
{
    public static byte[] Ok { get; } = "ok\n"u8.ToArray();

    public static byte[] Error(string message) => Line($"error {OneLine(message)}");

    public static byte[] Exited(int exitCode, long finishedAtUnixNanos, bool oomKilled) =>
        Line($"exited {exitCode} {finishedAtUnixNanos} {(oomKilled ? 1 : 0)}");

    public static byte[] Running(int pid) => Line($"running {pid}");

    public static byte[] OkPid(int pid) => Line($"ok {pid}");

    public static byte[] Created(int pid) => Line($"created {pid}");

    /// <summary>Collapses a multi-line message (runc's stderr) so it stays one protocol line.</summary>
    public static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "unknown error" : string.Join("; ", lines);
    }

    private static byte[] Line(string text) => Encoding.UTF8.GetBytes(text + "\n");
}

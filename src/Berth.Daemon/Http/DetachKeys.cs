using Berth.Oci.Errors;

namespace Berth.Daemon.Http;

/// <summary>
/// Docker's detach sequence (<c>ctrl-p,ctrl-q</c> by default, <c>--detach-keys</c>): comma-separated keys, each
/// <c>ctrl-X</c> (a-z, @, [, \, ], ^, _) or one character.
/// </summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    /// <summary>The bytes of a sequence; empty text gives the default. Invalid text throws Invalid with Docker's message.</summary>
    public static byte[] Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) text = Default;
        var keys = new List<byte>();
        foreach (string key in text.Split(','))
        {
            if (key.Length == 1 && key[0] < 128) { keys.Add((byte)key[0]); continue; }
            if (key.Length == 6 && key.StartsWith("ctrl-", StringComparison.Ordinal))
            {
                char c = key[5];
                if (c is >= 'a' and <= 'z') { keys.Add((byte)(c - 'a' + 1)); continue; }
                if (c is '@' or '[' or '\\' or ']' or '^' or '_') { keys.Add((byte)(c - '@')); continue; }
            }
            throw BerthException.Invalid($"Invalid detach keys ({key}) provided");
        }
        return [.. keys];
    }
}

/// <summary>
/// Watches a client's input for the detach sequence. Bytes that may start the sequence are held back and released
/// when the match fails, so the container never sees a completed sequence (Docker's escape proxy does the same).
/// </summary>
public sealed class DetachKeyScanner(byte[] sequence)
{
    private int _matched;

    /// <summary>
    /// Writes what may pass of <paramref name="input"/> to <paramref name="output"/>; returns true once the whole
    /// sequence has been typed (nothing after it is passed on).
    /// </summary>
    public bool Scan(ReadOnlySpan<byte> input, List<byte> output)
    {
        foreach (byte b in input)
        {
            if (sequence.Length == 0)
            {
                output.Add(b);
                continue;
            }
            if (b == sequence[_matched])
            {
                if (++_matched == sequence.Length) return true;
                continue;
            }
            for (int i = 0; i < _matched; i++) output.Add(sequence[i]);
            _matched = 0;
            if (b == sequence[0])
            {
                if (++_matched == sequence.Length) return true;
                continue;
            }
            output.Add(b);
        }
        return false;
    }
}

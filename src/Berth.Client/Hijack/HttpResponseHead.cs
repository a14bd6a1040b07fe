using System.Text;

namespace Berth.Client.Hijack;

/// <summary>The status line and headers of an HTTP/1.1 response, read byte by byte so no payload byte is consumed.</summary>
public sealed record HttpResponseHead(int StatusCode, string Reason, IReadOnlyDictionary<string, string> Headers)
{
    private const int MaxHeadBytes = 64 * 1024;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public static async Task<HttpResponseHead> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(512);
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, cancellationToken);
            if (read == 0)
                throw new IOException("the daemon closed the connection before answering");
            bytes.Add(one[0]);
            var n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
                break;
            if (n > MaxHeadBytes)
                throw new IOException("the daemon's response head is too large");
        }
        return Parse(Encoding.Latin1.GetString(bytes.ToArray()));
    }

    public static HttpResponseHead Parse(string text)
    {
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
            throw new IOException("empty response from the daemon");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(status[1], out var code))
            throw new IOException($"malformed HTTP status line from the daemon: {lines[0]}");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return new HttpResponseHead(code, status.Length > 2 ? status[2] : "", headers);
    }
}

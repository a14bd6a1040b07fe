using System.Globalization;
using System.Text;

namespace Berth.Client.Hijack;

/// <summary>Reads an HTTP/1.1 chunked body (only used for error answers to a hijack request).</summary>
internal static class ChunkedBody
{
    public static async Task<byte[]> ReadAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        while (output.Length < limit)
        {
            var line = await ReadLineAsync(stream, cancellationToken);
            var semicolon = line.IndexOf(';');
            if (semicolon >= 0)
                line = line[..semicolon];
            if (!int.TryParse(line.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
                break;
            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk, cancellationToken);
            output.Write(chunk);
            await ReadLineAsync(stream, cancellationToken);
        }
        return output.ToArray();
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1)
        {
            if (one[0] == '\n')
                break;
            if (one[0] != '\r')
                builder.Append((char)one[0]);
        }
        return builder.ToString();
    }
}

using System.Buffers.Binary;
using System.Text;

namespace Berth.IntegrationTests.Shim;

/// <summary>Reads an attach stream to its end and splits Docker's multiplexed frames into stdout and stderr.</summary>
public sealed class AttachOutput
{
    public StringBuilder Stdout { get; } = new();
    public StringBuilder Stderr { get; } = new();
    public List<(int Stream, string Payload)> Frames { get; } = [];

    public static async Task<AttachOutput> ReadFramesAsync(Stream stream, CancellationToken ct)
    {
        var output = new AttachOutput();
        var header = new byte[8];
        while (await ReadFullyAsync(stream, header, ct))
        {
            Assert.Equal([0, 0, 0], header[1..4]);
            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4))];
            Assert.True(await ReadFullyAsync(stream, payload, ct), "truncated frame");
            string text = Encoding.UTF8.GetString(payload);
            output.Frames.Add((header[0], text));
            (header[0] switch { 1 => output.Stdout, 2 => output.Stderr, _ => throw new InvalidDataException($"stream {header[0]}") }).Append(text);
        }
        return output;
    }

    public static async Task<string> ReadRawAsync(Stream stream, CancellationToken ct)
    {
        var memory = new MemoryStream();
        await stream.CopyToAsync(memory, ct);
        return Encoding.UTF8.GetString(memory.ToArray());
    }

    private static async Task<bool> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0) return read == 0 ? false : throw new EndOfStreamException("stream ended inside a frame");
            read += n;
        }
        return true;
    }
}

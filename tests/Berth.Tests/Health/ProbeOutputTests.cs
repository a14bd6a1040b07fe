using System.Buffers.Binary;
using System.Text;
using Berth.Engine.Containers.Health;

namespace Berth.Tests.Health;

public sealed class ProbeOutputTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }

    [Fact]
    public async Task Stdout_and_stderr_are_kept_in_arrival_order()
    {
        var output = new ProbeOutput();
        using var stream = new MemoryStream([.. Frame(1, "out\n"), .. Frame(2, "err\n"), .. Frame(1, "more\n")]);

        await output.ReadFramesAsync(stream, CancellationToken.None);

        Assert.Equal("out\nerr\nmore\n", output.ToString());
    }

    [Fact]
    public async Task Output_is_cut_at_4096_bytes_with_an_ellipsis()
    {
        var output = new ProbeOutput();
        using var stream = new MemoryStream([.. Frame(1, new string('a', 4000)), .. Frame(2, new string('b', 200))]);

        await output.ReadFramesAsync(stream, CancellationToken.None);

        string text = output.ToString();
        Assert.Equal(4096 + 3, text.Length);
        Assert.EndsWith("bbb...", text);
    }

    [Fact]
    public void Output_that_fits_has_no_ellipsis()
    {
        var output = new ProbeOutput();
        output.Append(Encoding.UTF8.GetBytes(new string('x', 4096)));

        Assert.Equal(new string('x', 4096), output.ToString());
    }
}

using Berth.Shim.Attach;
using Berth.Shim.Io;

namespace Berth.Tests.Shim;

public class FrameHeaderTests
{
    [Fact]
    public void WritesStreamTypeAndBigEndianLength()
    {
        var header = new byte[FrameHeader.Size];

        FrameHeader.Write(header, OutputStream.Stderr, 0x01020304);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 1, 2, 3, 4 }, header);

        FrameHeader.Write(header, OutputStream.Stdout, 65_536);
        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 1, 0, 0 }, header);
    }
}

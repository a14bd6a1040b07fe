using Berth.Daemon.Http;

namespace Berth.Tests.Daemon;

public sealed class SystemErrorTextTests
{
    [Theory]
    [InlineData("IO_PathNotFound_Path, /var/x", "/var/x: no such file or directory")]
    [InlineData("IO_FileNotFound_FileName, /var/x/y", "/var/x/y: no such file or directory")]
    [InlineData("UnauthorizedAccess_IODenied_Path, /root/s", "/root/s: permission denied")]
    [InlineData("IO_FileExists_Name, /a", "/a: file exists")]
    [InlineData("IO_PathNotFound_NoPathName", "no such file or directory")]
    public void Resource_keys_of_file_errors_are_worded_as_go_words_them(string message, string expected)
    {
        Assert.Equal(expected, SystemErrorText.Of(new IOException(message)));
    }

    [Fact]
    public void An_io_error_with_an_unknown_key_is_worded_by_its_errno()
    {
        Assert.Equal("/d: no space left on device", SystemErrorText.Of(new IOException("IO_SomethingNew_Path, /d", 28)));
    }

    [Fact]
    public void Ordinary_messages_are_kept()
    {
        Assert.Equal("container abc is not running", SystemErrorText.Of(new InvalidOperationException("container abc is not running")));
        Assert.Equal("Unknown_Key, x", SystemErrorText.Of(new InvalidOperationException("Unknown_Key, x")));
    }
}

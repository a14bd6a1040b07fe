namespace Berth.Cli.Terminal;

/// <summary>Puts a terminal in raw mode (no echo, no line editing, no signals from keys) and restores it on dispose.</summary>
public sealed class RawMode : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _saved;
    private bool _restored;

    private RawMode(int fd, byte[] saved)
    {
        _fd = fd;
        _saved = saved;
    }

    /// <summary>Raw mode on <paramref name="fd"/>, or null when it is not a terminal.</summary>
    public static RawMode? Enter(int fd)
    {
        if (!NativeTerminal.IsTerminal(fd))
            return null;
        var saved = new byte[NativeTerminal.TermiosSize];
        if (NativeTerminal.tcgetattr(fd, saved) != 0)
            return null;
        var raw = (byte[])saved.Clone();
        NativeTerminal.cfmakeraw(raw);
        if (NativeTerminal.tcsetattr(fd, NativeTerminal.TCSANOW, raw) != 0)
            return null;
        return new RawMode(fd, saved);
    }

    public void Dispose()
    {
        if (_restored)
            return;
        _restored = true;
        NativeTerminal.tcsetattr(_fd, NativeTerminal.TCSANOW, _saved);
    }
}

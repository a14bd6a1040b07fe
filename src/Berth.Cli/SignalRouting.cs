using System.Runtime.InteropServices;

namespace Berth.Cli;

/// <summary>
/// Lets a command take over SIGINT/SIGTERM (run and start forward them to the container with --sig-proxy);
/// otherwise they cancel the command.
/// </summary>
public static class SignalRouting
{
    private static volatile Action<PosixSignal>? _handler;

    public static IDisposable Intercept(Action<PosixSignal> handler)
    {
        _handler = handler;
        return new Release();
    }

    public static bool TryHandle(PosixSignal signal)
    {
        var handler = _handler;
        if (handler is null)
            return false;
        handler(signal);
        return true;
    }

    private sealed class Release : IDisposable
    {
        public void Dispose() => _handler = null;
    }
}

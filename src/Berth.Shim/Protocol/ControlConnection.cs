using System.Text;
using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Protocol;

/// <summary>
/// An accepted connection until its request is answered: reads one request line, hands it to the dispatcher, and
/// then either replies and closes, waits (WAIT, START answer later; a hang-up then just drops it), or gives its
/// socket away to become an attacher. With ATTACH and EXEC the daemon may pass the client's own connection along with
/// the request line (SCM_RIGHTS): the attacher then writes output there directly, and this socket carries only stdin.
/// </summary>
internal sealed class ControlConnection(EventLoop loop, int fd, Action<ControlConnection, ShimRequest?, string> dispatch, Action<ControlConnection> closed) : IPollHandler
{
    private readonly byte[] _line = new byte[ShimRequest.MaxLineLength];
    private int _length;
    private bool _waiting;
    private int _passedFd = -1;

    public bool Closed { get; private set; }

    /// <summary>Bytes the client sent after the request line (stdin for an attach).</summary>
    public ReadOnlyMemory<byte> Leftover { get; private set; }

    public void Register() => loop.Add(fd, PollEvents.In | PollEvents.ReadHangUp, this);

    public void OnPoll(uint events)
    {
        if (_waiting)
        {
            Close(); // only hang-up or error are reported while waiting
            return;
        }
        int n = UnixSocket.Receive(fd, _line.AsSpan(_length), ref _passedFd);
        if (n == -Libc.EAGAIN) return;
        if (n <= 0)
        {
            Close();
            return;
        }
        _length += n;
        int newline = _line.AsSpan(0, _length).IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (_length == _line.Length) ReplyAndClose(ShimReply.Error("request line too long"));
            return;
        }
        Leftover = _line.AsMemory(newline + 1, _length - newline - 1);
        string text = Encoding.UTF8.GetString(_line, 0, newline);
        var request = ShimRequest.Parse(text, out string error);
        dispatch(this, request, error);
    }

    /// <summary>The client connection the daemon passed with the request, or -1; the caller owns it from now on.</summary>
    public int TakePassedFd()
    {
        int passed = _passedFd;
        _passedFd = -1;
        return passed;
    }

    /// <summary>The reply comes later; until then only a hang-up is watched for.</summary>
    public void Defer()
    {
        _waiting = true;
        loop.Modify(fd, 0);
    }

    public void ReplyAndClose(byte[] reply)
    {
        if (Closed) return;
        UnixSocket.Send(fd, reply);
        Close();
    }

    /// <summary>Sends <paramref name="reply"/> and gives the socket to the caller, which owns it from now on.</summary>
    public int ReplyAndDetach(byte[] reply)
    {
        UnixSocket.Send(fd, reply);
        Fd.Close(TakePassedFd()); // a passed connection the request had no use for
        loop.Remove(fd);
        Closed = true;
        closed(this);
        return fd;
    }

    public void Close()
    {
        if (Closed) return;
        Closed = true;
        loop.Remove(fd);
        Fd.Close(fd);
        Fd.Close(TakePassedFd());
        closed(this);
    }
}

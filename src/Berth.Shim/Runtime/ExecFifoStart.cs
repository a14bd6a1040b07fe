using Berth.Shim.Loop;
using Berth.Shim.Native;

namespace Berth.Shim.Runtime;

/// <summary>
/// Starts a created container the way <c>runc start</c> does, without spawning runc (a Go program: 7-11 ms a start).
/// After <c>runc create</c>, runc init waits opening <c>&lt;runc root&gt;/&lt;id&gt;/exec.fifo</c> for writing until a
/// reader comes; it then writes one byte, lets go of its end and execs the user's program (a moment later: its Go runtime
/// still runs when the fifo ends, see <see cref="ContainerProcess.HasExecuted"/>). runc start
/// opens the fifo for reading, reads to the end (no byte: the init died, "already running"), and unlinks the fifo; runc
/// tells "created" from "running" only by whether the fifo exists, so later runc calls (state, kill, pause, exec, delete)
/// see the same state as after runc start.
/// The fifo is opened non-blocking so the loop never waits on it; epoll reports it only once the init has connected.
/// An init that dies before it opens its end never connects: a timer notices that, as runc polls the init's state.
/// </summary>
internal sealed class ExecFifoStart : IPollHandler
{
    public const string FileName = "exec.fifo";
    private const int InitCheckMillis = 100;

    private readonly EventLoop _loop;
    private readonly string _path;
    private readonly Func<bool> _initGone;
    private readonly Action<string?> _done;
    private readonly int _fd;
    private bool _gotByte, _finished;
    private LoopTimer? _check;

    private ExecFifoStart(EventLoop loop, string path, int fd, Func<bool> initGone, Action<string?> done)
    {
        (_loop, _path, _fd, _initGone, _done) = (loop, path, fd, initGone, done);
    }

    /// <summary>
    /// Opens the fifo and lets the init run; <paramref name="done"/> later gets null or the error. False when the fifo
    /// can't be opened (absent: not a runc that works this way, or the container is not in the created state), so the
    /// caller falls back to <c>runc start</c>, which gives the proper answer.
    /// </summary>
    public static bool TryBegin(EventLoop loop, string path, Func<bool> initGone, Action<string?> done)
    {
        int fd;
        try
        {
            fd = Fd.Open(path, Libc.O_RDONLY | Libc.O_NONBLOCK);
        }
        catch (UnixError)
        {
            return false;
        }
        var start = new ExecFifoStart(loop, path, fd, initGone, done);
        loop.Add(fd, PollEvents.In, start);
        start.ScheduleCheck();
        return true;
    }

    public void OnPoll(uint events) => Drain();

    private void ScheduleCheck() => _check = _loop.Schedule(InitCheckMillis, () =>
    {
        _check = null;
        if (_finished) return;
        // The init gone: what it wrote (if it got that far) is still in the fifo; no writer is left to wait for.
        if (_initGone()) Drain();
        if (!_finished) ScheduleCheck();
    });

    private void Drain()
    {
        Span<byte> buffer = stackalloc byte[16];
        while (!_finished)
        {
            int n = Fd.Read(_fd, buffer);
            if (n > 0)
            {
                _gotByte = true;
                continue;
            }
            if (n == -Libc.EAGAIN) return; // the init holds its end until it is about to exec
            if (n < 0) Finish(new UnixError($"read {_path}", -n).Message);
            else Finish(_gotByte ? null : "cannot start a container whose process is already dead");
        }
    }

    private void Finish(string? error)
    {
        _finished = true;
        _check?.Cancel();
        _loop.Remove(_fd);
        Fd.Close(_fd);
        if (error is null)
        {
            try
            {
                Fd.Unlink(_path);
            }
            catch (UnixError e)
            {
                error = e.Message;
            }
        }
        _done(error);
    }
}

using Berth.Shim.Log;
using Berth.Shim.Loop;
using Berth.Shim.Native;
using Berth.Shim.Protocol;
using Berth.Shim.Runtime;

namespace Berth.Shim;

/// <summary>
/// The shim for one container: creates it through the runtime, serves the control socket, and handles its exit.
/// Everything runs on one thread around an <see cref="EventLoop"/> (but for the log writer of a chatty container, see
/// <see cref="Log.JsonLogEncoder"/>). Split by concern: start-up, requests, exit.
/// </summary>
internal sealed partial class Shim : IPollHandler, IDisposable
{
    private enum Status { Created, Running, Exited }

    private readonly ShimConfig _config;
    private readonly StateFiles _files;
    private readonly EventLoop _loop = new();
    private readonly ChildReaper _reaper;
    private readonly Runc _runc;
    private ContainerProcess _init = null!;
    private JsonLogEncoder? _log;
    private Log.Forward.LogForwarder? _forward;
    private int _listener = -1;
    private Status _status = Status.Created;
    private int _controlConnections;

    public Shim(ShimConfig config, StateFiles files)
    {
        _config = config;
        _files = files;
        _reaper = new ChildReaper(_loop);
        _runc = new Runc(config.Runtime, config.RuntimeArgs, config.RuntimeRoot, files.RuntimeLog, config.Id, config.RuntimeIsRunc);
    }

    private string Container => $"container {_config.Id}";

    /// <summary>Serves requests until the container has exited and the daemon said SHUTDOWN, or nobody came for a while.</summary>
    public void Serve()
    {
        _loop.Add(_listener, PollEvents.In, this);
        _loop.Run(AfterEvents);
    }

    /// <summary>The listening socket is ready: accept every waiting connection.</summary>
    public void OnPoll(uint events)
    {
        int fd;
        while ((fd = UnixSocket.Accept(_listener)) >= 0)
        {
            var connection = new ControlConnection(_loop, fd, Dispatch, _ => _controlConnections--);
            _controlConnections++;
            connection.Register();
        }
    }

    public void Dispose()
    {
        if (_listener >= 0)
        {
            _loop.Remove(_listener);
            Fd.Close(_listener);
            _listener = -1;
            try { Fd.Unlink(_files.Socket); } catch (UnixError) { }
        }
        _log?.Dispose();
        _forward?.Dispose();
        _loop.Dispose();
    }
}

using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Shim;

/// <summary>
/// The daemon's side of a berth-shim's socket (<c>&lt;stateDir&gt;/shim.sock</c>): one connection per request.
/// Stateless, so a restarted daemon reconnects simply by making a new client for the same directory.
/// When the shim is gone, <see cref="StateAsync"/> returns null and the other calls throw
/// <see cref="ErrorKind.Unavailable"/>; <see cref="ReadExitFile"/> then tells how the container ended.
/// </summary>
public sealed class ShimClient(string stateDir)
{
    private const int MaxReplyLength = 64 * 1024;

    public string StateDir { get; } = stateDir;
    public string SocketPath => Path.Combine(StateDir, ShimFiles.Socket);
    private string Container => $"container {Path.GetFileName(StateDir.TrimEnd('/'))}";

    /// <summary>Starts the user's program (runc start).</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        string reply = await RequestAsync("START", ct).ConfigureAwait(false);
        if (ShimReplies.Error(reply) is { } error) throw ShimErrors.FromRuntime(error);
        ExpectOk(reply);
    }

    /// <summary>Completes when the container has exited and the shim has finished its exit handling.</summary>
    public async Task<ShimExit> WaitAsync(CancellationToken ct)
    {
        string reply = await RequestAsync("WAIT", ct).ConfigureAwait(false);
        if (ShimReplies.Error(reply) is { } error) throw BerthException.Internal($"{Container}: {error}");
        return ShimReplies.ParseExited(reply);
    }

    /// <summary>Sends <paramref name="signal"/> to the container's init; Conflict when it is not running.</summary>
    public async Task KillAsync(int signal, CancellationToken ct)
    {
        string reply = await RequestAsync($"KILL {signal}", ct).ConfigureAwait(false);
        if (ShimReplies.Error(reply) is { } error) throw BerthException.Conflict(error);
        ExpectOk(reply);
    }

    /// <summary>Sets the TTY's window size; Conflict when not running, Invalid when the container has no TTY.</summary>
    public async Task ResizeAsync(int height, int width, CancellationToken ct)
    {
        string reply = await RequestAsync($"RESIZE {height} {width}", ct).ConfigureAwait(false);
        if (ShimReplies.Error(reply) is { } error)
            throw error.Contains("not running", StringComparison.Ordinal) ? BerthException.Conflict(error) : BerthException.Invalid(error);
        ExpectOk(reply);
    }

    /// <summary>The container's state, or null when the shim is gone (then see <see cref="ReadExitFile"/>).</summary>
    public async Task<ShimState?> StateAsync(CancellationToken ct)
    {
        string reply;
        try
        {
            reply = await RequestAsync("STATE", ct).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
        {
            return null;
        }
        if (ShimReplies.Error(reply) is { } error) throw BerthException.Internal($"{Container}: {error}");
        return ShimReplies.ParseState(reply);
    }

    /// <summary>
    /// Attaches to the container's stdio. The returned stream is positioned after the shim's "ok": reads give raw TTY
    /// output or Docker's multiplexed frames (8-byte header: stream 1|2, 0, 0, 0, big-endian uint32 length), and end
    /// when the container's output has ended; writes go to stdin when <paramref name="stdin"/> is set. Close stdin with
    /// <see cref="CloseStdin"/> (with StdinOnce that closes the container's stdin). Only output produced after the
    /// attach is delivered.
    /// </summary>
    public Task<Stream> AttachAsync(bool stdin, bool stdout, bool stderr, CancellationToken ct) => AttachAsync(stdin, stdout, stderr, null, ct);

    /// <summary>As <see cref="AttachAsync(bool, bool, bool, CancellationToken)"/>.</summary>
    /// <remarks>
    /// With <paramref name="output"/> (the client's own connection, already answered) the shim writes the output there
    /// itself; the returned stream then carries no output and just ends when the output has ended.
    /// </remarks>
    public async Task<Stream> AttachAsync(bool stdin, bool stdout, bool stderr, Socket? output, CancellationToken ct)
    {
        var socket = await ConnectAsync(ct).ConfigureAwait(false);
        try
        {
            await SendLineAsync(socket, $"ATTACH stdin={Bit(stdin)} stdout={Bit(stdout)} stderr={Bit(stderr)}", output, ct).ConfigureAwait(false);
            string reply = await ReadLineAsync(socket, ct).ConfigureAwait(false);
            if (ShimReplies.Error(reply) is { } error) throw BerthException.Conflict(error);
            ExpectOk(reply);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a further process in the running container (runc exec). <paramref name="processJson"/> is the OCI process
    /// object; it goes to <c>exec-&lt;id&gt;.json</c> in the state directory. Returns the process's pid and, when any of
    /// stdin/stdout/stderr is wanted, its stream (same format as <see cref="AttachAsync"/>). A process that cannot be
    /// run (runc's error) throws <see cref="ErrorKind.Invalid"/> with runc's message; the exec is then finished with
    /// exit code 126 or 127, which <see cref="WaitExecAsync"/> reports.
    /// </summary>
    public Task<(int Pid, Stream? Stream)> ExecAsync(string execId, byte[] processJson, ShimExecOptions options, CancellationToken ct) =>
        ExecAsync(execId, processJson, options, null, ct);

    /// <summary>As <see cref="ExecAsync(string, byte[], ShimExecOptions, CancellationToken)"/>.</summary>
    /// <remarks><paramref name="output"/>: as for <see cref="AttachAsync(bool, bool, bool, Socket?, CancellationToken)"/>.</remarks>
    public async Task<(int Pid, Stream? Stream)> ExecAsync(string execId, byte[] processJson, ShimExecOptions options, Socket? output, CancellationToken ct)
    {
        await File.WriteAllBytesAsync(Path.Combine(StateDir, $"exec-{execId}.json"), processJson, ct).ConfigureAwait(false);
        var socket = await ConnectAsync(ct).ConfigureAwait(false);
        try
        {
            await SendLineAsync(socket,
                $"EXEC {execId} tty={Bit(options.Tty)} stdin={Bit(options.Stdin)} stdout={Bit(options.Stdout)} stderr={Bit(options.Stderr)} height={options.Height} width={options.Width}",
                options.Stdin || options.Stdout || options.Stderr ? output : null, ct).ConfigureAwait(false);
            string reply = await ReadLineAsync(socket, ct).ConfigureAwait(false);
            if (ShimReplies.Error(reply) is { } error)
                throw error.Contains("is not running", StringComparison.Ordinal) ? BerthException.Conflict(error) : BerthException.Invalid(error);
            if (!reply.StartsWith("ok ", StringComparison.Ordinal) || !int.TryParse(reply.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture, out int pid))
                throw ShimReplies.Unexpected(reply);
            if (!options.Stdin && !options.Stdout && !options.Stderr)
            {
                socket.Dispose();
                return (pid, null);
            }
            return (pid, new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the exec has finished (reaped and its output ended).</summary>
    public async Task<ShimExit> WaitExecAsync(string execId, CancellationToken ct)
    {
        string reply = await RequestAsync($"WAIT exec={execId}", ct).ConfigureAwait(false);
        if (ShimReplies.Error(reply) is { } error) throw BerthException.NotFound($"{Container}: {error}");
        return ShimReplies.ParseExited(reply);
    }

    /// <summary>Sets an exec's TTY window size; Conflict when it is not running, Invalid when it has no TTY.</summary>
    public async Task ResizeExecAsync(string execId, int height, int width, CancellationToken ct)
    {
        string reply = await RequestAsync($"RESIZE {height} {width} exec={execId}", ct).ConfigureAwait(false);
        if (ShimReplies.Error(reply) is { } error)
            throw error.Contains("not running", StringComparison.Ordinal) ? BerthException.Conflict(error) : BerthException.Invalid(error);
        ExpectOk(reply);
    }

    /// <summary>Half-closes an attach stream: the shim sees end of stdin, output keeps flowing.</summary>
    public static void CloseStdin(Stream attachStream)
    {
        if (attachStream is not NetworkStream network) throw new ArgumentException("not a shim attach stream", nameof(attachStream));
        network.Socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Tells a shim whose container has exited to finish; Conflict while the container still runs.</summary>
    public async Task ShutdownAsync(CancellationToken ct)
    {
        string reply = await RequestAsync("SHUTDOWN", ct).ConfigureAwait(false);
        if (ShimReplies.Error(reply) is { } error) throw BerthException.Conflict(error);
        ExpectOk(reply);
    }

    /// <summary>The exit status the shim saved in exit.json, or null when there is none (yet).</summary>
    public static ShimExit? ReadExitFile(string stateDir)
    {
        string path = Path.Combine(stateDir, ShimFiles.Exit);
        try
        {
            var doc = JsonSerializer.Deserialize(File.ReadAllBytes(path), ShimJsonContext.Default.ShimExitDocument);
            if (doc is null || Rfc3339Nano.Parse(doc.FinishedAt) is not { } finishedAt) return null;
            return new ShimExit(doc.ExitCode, finishedAt, doc.OomKilled);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    private async Task<string> RequestAsync(string line, CancellationToken ct)
    {
        using var socket = await ConnectAsync(ct).ConfigureAwait(false);
        await SendLineAsync(socket, line, ct).ConfigureAwait(false);
        return await ReadLineAsync(socket, ct).ConfigureAwait(false);
    }

    private async Task<Socket> ConnectAsync(CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), ct).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new BerthException(ErrorKind.Unavailable, $"{Container}: shim is not running ({e.Message})", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendLineAsync(Socket socket, string line, CancellationToken ct) => await SendLineAsync(socket, line, null, ct).ConfigureAwait(false);

    private static async Task SendLineAsync(Socket socket, string line, Socket? passed, CancellationToken ct)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        if (passed is null) await socket.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false);
        else DescriptorPassing.Send(socket, bytes, passed);
    }

    /// <summary>Reads one reply line a byte at a time, so that nothing after it (attach output) is consumed.</summary>
    private async Task<string> ReadLineAsync(Socket socket, CancellationToken ct)
    {
        var line = new MemoryStream();
        var one = new byte[1];
        while (line.Length < MaxReplyLength)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(one, SocketFlags.None, ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new BerthException(ErrorKind.Unavailable, $"{Container}: shim connection failed ({e.Message})", e);
            }
            if (n == 0) throw new BerthException(ErrorKind.Unavailable, $"{Container}: shim closed the connection without a reply");
            if (one[0] == '\n') return Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length);
            line.WriteByte(one[0]);
        }
        throw BerthException.Internal($"{Container}: shim reply longer than {MaxReplyLength} bytes");
    }

    private static void ExpectOk(string reply)
    {
        if (reply != "ok") throw ShimReplies.Unexpected(reply);
    }

    private static char Bit(bool value) => value ? '1' : '0';
}

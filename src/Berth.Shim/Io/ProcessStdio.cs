namespace Berth.Shim.Io;

/// <summary>
/// The stdio of one container process (the init now, exec processes later): the descriptors the runtime gets as its
/// stdin/stdout/stderr, and the shim's ends once the process exists. Pipes for plain processes, a pty for TTY ones.
/// </summary>
internal abstract class ProcessStdio : IDisposable
{
    /// <summary>Descriptors to hand to the runtime as fds 0, 1 and 2.</summary>
    public abstract int ChildStdin { get; }
    public abstract int ChildStdout { get; }
    public abstract int ChildStderr { get; }

    /// <summary>For TTY processes, the path given to runc as --console-socket.</summary>
    public virtual string? ConsoleSocketPath => null;

    public abstract bool IsTty { get; }

    /// <summary>Hands over the shim's write end of the process's stdin (the caller closes it), or -1 when stdin is not open.</summary>
    public abstract int TakeStdin();

    /// <summary>The shim's read end of an output stream, or -1 (a TTY has only "stdout"); closed by Dispose.</summary>
    public abstract int OutputFd(OutputStream stream);

    /// <summary>Closes the shim's copies of the child ends once the runtime has them (so EOF means the process is gone).</summary>
    public abstract void CloseChildEnds();

    /// <summary>After a successful create: a TTY receives the pty master here.</summary>
    public virtual void OnCreated(int height, int width) { }

    /// <summary>What the runtime wrote to stderr before the user's program started (its error message on failure).</summary>
    public abstract string ReadRuntimeErrors();

    public virtual void Resize(int height, int width) =>
        throw new InvalidOperationException("the container has no TTY");

    /// <summary>Closes every descriptor still held, the output ends included.</summary>
    public abstract void Dispose();
}

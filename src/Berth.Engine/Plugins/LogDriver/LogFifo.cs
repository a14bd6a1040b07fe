using System.Runtime.InteropServices;
using Berth.Oci.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Plugins.LogDriver;

/// <summary>The FIFO a container's lines go through to its logging plugin: made by the daemon, written by the shim, read by the plugin.</summary>
internal static partial class LogFifo
{
    private const int ORdWr = 2, ONonBlock = 0x800, OCloExec = 0x80000;

    /// <summary>Makes the FIFO afresh (one left by an earlier run may still have a reader attached) in a directory only root enters.</summary>
    public static void Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Delete(path);
        PosixFiles.MakeNode(path, FileKind.Fifo, 0b111_000_000);
    }

    /// <summary>
    /// The daemon's end, open for reading and writing as dockerd opens it: the open does not wait for a reader, and a
    /// plugin that opens the FIFO for reading during StartLogging finds a writer there.
    /// </summary>
    public static SafeFileHandle OpenDaemonEnd(string path)
    {
        int fd = Open(path, ORdWr | ONonBlock | OCloExec, 0);
        if (fd < 0) throw new IOException($"open {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a FIFO left behind harms nothing: the next start makes it afresh
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);
}

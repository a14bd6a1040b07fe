using System.Runtime.InteropServices;

namespace Berth.Oci.Native;

/// <summary>A failed libc call, keeping errno so callers can tolerate specific failures (e.g. ENOTSUP for xattrs).</summary>
public sealed class PosixException(int errno, string message) : IOException(message)
{
    public int Errno { get; } = errno;

    /// <summary>Builds the exception from the calling thread's last P/Invoke error, as Go prints it: "op path: reason".</summary>
    internal static PosixException FromLastError(string operation, string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new PosixException(errno, $"{operation} {path}: {Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant()}");
    }
}

using System.Runtime.InteropServices;

namespace Berth.Shim.Native;

/// <summary>A failed system call: the call's name and the errno text, e.g. "bind shim.sock: Address already in use".</summary>
internal sealed class UnixError(string what, int errno) : Exception($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}")
{
    public int Errno { get; } = errno;

    public static UnixError Last(string what) => new(what, Libc.Errno);

    /// <summary>Throws for a negative return value and returns the value otherwise.</summary>
    public static int Check(int result, string what) => result < 0 ? throw Last(what) : result;
}

namespace Berth.Shim.Io;

/// <summary>A container output stream; the values are the stream bytes of Docker's multiplexed attach framing.</summary>
internal enum OutputStream : byte
{
    Stdout = 1,
    Stderr = 2,
}

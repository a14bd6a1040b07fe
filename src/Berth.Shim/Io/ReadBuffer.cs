using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// The one read buffer of the shim: everything runs on the loop thread and every consumer copies what it must keep
/// before returning, so output pumps and attach sockets all read into the same 256 KiB (outside the GC heap; pages a
/// quiet container never fills are never touched).
/// </summary>
internal static class ReadBuffer
{
    public const int Size = 256 * 1024;
    private static NativeBuffer? s_buffer;

    public static Span<byte> Shared => (s_buffer ??= new NativeBuffer(Size)).Span;
}

using Berth.Shim.Native;

namespace Berth.Shim.Io;

/// <summary>
/// The one read buffer of the shim: everything runs on the loop thread and every consumer copies what it must keep
/// before returning, so output pumps and attach sockets all read into the same 64 KiB (outside the GC heap).
/// </summary>
internal static class ReadBuffer
{
    public const int Size = 64 * 1024;
    private static NativeBuffer? s_buffer;

    public static Span<byte> Shared => (s_buffer ??= new NativeBuffer(Size)).Span;
}

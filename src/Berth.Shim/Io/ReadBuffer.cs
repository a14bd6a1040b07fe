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

    /// <summary>
    /// The chunk of a container writing fast: its stdout/stderr pipes hold this much and the log writer's queue reads in
    /// slots of this size (see <see cref="Log.LogWriterThread"/>), so each wake-up moves more (256 MiB through
    /// `docker run`: ~15% faster than with 256 KiB chunks). Only bursts touch these pages; the queue goes after them.
    /// </summary>
    public const int BurstChunk = 1024 * 1024;
    private static NativeBuffer? s_buffer;

    public static Span<byte> Shared => (s_buffer ??= new NativeBuffer(Size)).Span;
}

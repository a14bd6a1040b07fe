using System.Runtime.InteropServices;

namespace Berth.Shim.Native;

/// <summary>
/// A fixed-size buffer outside the GC heap. malloc does not touch the memory, so pages of a buffer that is never
/// (or only partly) used never become resident: an idle shim does not pay for its 64 KiB read and 128 KiB log buffers.
/// </summary>
internal sealed unsafe class NativeBuffer(int size) : IDisposable
{
    private byte* _pointer = (byte*)NativeMemory.Alloc((nuint)size);

    public int Length { get; } = size;
    public Span<byte> Span => new(_pointer, Length);

    public void Dispose()
    {
        NativeMemory.Free(_pointer);
        _pointer = null;
    }
}

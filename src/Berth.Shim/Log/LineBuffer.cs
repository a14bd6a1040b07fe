using Berth.Shim.Native;

namespace Berth.Shim.Log;

/// <summary>The unfinished line of one stream, at most <see cref="LineSplitter.MaxLineBytes"/> bytes; allocated on first use.</summary>
internal struct LineBuffer
{
    private NativeBuffer? _bytes;

    public int Length { get; private set; }
    public readonly ReadOnlySpan<byte> Span => _bytes is null ? default : _bytes.Span[..Length];

    public void Append(ReadOnlySpan<byte> data)
    {
        _bytes ??= new NativeBuffer(LineSplitter.MaxLineBytes);
        data.CopyTo(_bytes.Span[Length..]);
        Length += data.Length;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes, keeping the rest at the start.</summary>
    public void RemovePrefix(int count)
    {
        _bytes!.Span[count..Length].CopyTo(_bytes.Span);
        Length -= count;
    }

    public void Clear() => Length = 0;
}

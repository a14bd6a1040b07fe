namespace Berth.Shim.Log;

/// <summary>The unfinished line of one stream, at most <see cref="JsonLogEncoder.MaxLineBytes"/> bytes; allocated on first use.</summary>
internal struct LineBuffer
{
    private byte[]? _bytes;

    public int Length { get; private set; }
    public readonly ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        _bytes ??= GC.AllocateUninitializedArray<byte>(JsonLogEncoder.MaxLineBytes);
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes, keeping the rest at the start.</summary>
    public void RemovePrefix(int count)
    {
        _bytes.AsSpan(count, Length - count).CopyTo(_bytes);
        Length -= count;
    }

    public void Clear() => Length = 0;
}

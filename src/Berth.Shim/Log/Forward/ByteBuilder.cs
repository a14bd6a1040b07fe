using System.Text;

namespace Berth.Shim.Log.Forward;

/// <summary>A growable byte buffer for one forwarded message (the sender thread's; reused from message to message).</summary>
internal sealed class ByteBuilder(int capacity = 1024)
{
    private byte[] _bytes = new byte[capacity];

    public int Length { get; private set; }
    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Room for <paramref name="count"/> more bytes, to fill and then <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int count)
    {
        if (Length + count > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
        return _bytes.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void Append(byte value)
    {
        GetSpan(1)[0] = value;
        Length++;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        Length += data.Length;
    }

    public void Append(string text)
    {
        int count = Encoding.UTF8.GetByteCount(text);
        Length += Encoding.UTF8.GetBytes(text, GetSpan(count));
    }

    public void Append(long value)
    {
        value.TryFormat(GetSpan(20), out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        Length += written;
    }

    /// <summary><paramref name="value"/> in decimal, at least <paramref name="width"/> digits (zero-padded).</summary>
    public void AppendPadded(long value, int width, byte pad = (byte)'0')
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        for (int i = written; i < width; i++) Append(pad);
        Append(digits[..written]);
    }

    public void WriteBigEndian(ulong value, int bytes)
    {
        var span = GetSpan(bytes);
        for (int i = 0; i < bytes; i++) span[i] = (byte)(value >> (8 * (bytes - 1 - i)));
        Length += bytes;
    }
}

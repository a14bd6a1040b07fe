using System.Buffers.Binary;
using System.Text;

namespace Berth.Engine.Networks.Netlink;

/// <summary>Walks a run of rtattrs: <c>foreach (var (type, value) in new NetlinkAttributes(span))</c>.</summary>
internal readonly ref struct NetlinkAttributes(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public Enumerator GetEnumerator() => new(_data);

    public ref struct Enumerator(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public NetlinkAttribute Current { get; private set; }

        public bool MoveNext()
        {
            if (_rest.Length < 4) return false;
            int length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            // Nested and byte-order flags live in the top two bits of the type.
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3FFF);
            if (length < 4 || length > _rest.Length) return false;
            Current = new NetlinkAttribute(type, _rest[4..length]);
            _rest = _rest[Math.Min(NetlinkRequest.Align(length), _rest.Length)..];
            return true;
        }
    }

    public static string ReadString(ReadOnlySpan<byte> value)
    {
        int end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
    }

    public static uint ReadUInt32(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt32LittleEndian(value);
}

/// <summary>One rtattr: its type (flags masked off) and value.</summary>
internal readonly ref struct NetlinkAttribute(ushort type, ReadOnlySpan<byte> value)
{
    public ushort Type { get; } = type;
    public ReadOnlySpan<byte> Value { get; } = value;

    public void Deconstruct(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = Type;
        value = Value;
    }
}

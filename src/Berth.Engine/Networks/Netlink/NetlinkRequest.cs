using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Engine.Networks.Netlink;

/// <summary>One netlink request being built: the nlmsghdr, a family header (ifinfomsg, ifaddrmsg, rtmsg) and rtattrs.</summary>
internal sealed class NetlinkRequest
{
    private const int HeaderSize = 16;
    private byte[] _buffer = new byte[512];
    private int _length = HeaderSize;

    public NetlinkRequest(ushort type, ushort flags)
    {
        Type = type;
        Flags = flags;
    }

    public ushort Type { get; }
    public ushort Flags { get; }

    public void Write<T>(in T header) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        Span<byte> target = Reserve(Align(size));
        MemoryMarshal.Write(target, in header);
    }

    public void AddBytes(ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> target = Reserve(Align(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(target[2..], type);
        value.CopyTo(target[4..]);
    }

    /// <summary>A NUL-terminated string attribute, as the kernel expects for names.</summary>
    public void AddString(ushort type, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = stackalloc byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        AddBytes(type, bytes);
    }

    public void AddUInt32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        AddBytes(type, bytes);
    }

    public void AddInt32(ushort type, int value) => AddUInt32(type, unchecked((uint)value));

    /// <summary>Opens a nested attribute; close it with <see cref="EndNested"/> to fix its length.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        Span<byte> target = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(target[2..], type);
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    /// <summary>The finished message with its length and sequence number filled in.</summary>
    public ReadOnlySpan<byte> Complete(uint sequence)
    {
        var header = new NlMsgHdr { Length = (uint)_length, Type = Type, Flags = Flags, Sequence = sequence };
        MemoryMarshal.Write(_buffer.AsSpan(), in header);
        return _buffer.AsSpan(0, _length);
    }

    public static int Align(int length) => (length + 3) & ~3;

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        Span<byte> span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}

using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Engine.Runtime.Shim;

/// <summary>
/// Sends bytes together with one open descriptor (SCM_RIGHTS) over a connected unix socket: how the daemon hands a
/// client's connection to a shim, which then writes the container's output to the client without the daemon copying it.
/// </summary>
internal static unsafe partial class DescriptorPassing
{
    private const int SolSocket = 1, ScmRights = 1, MsgNoSignal = 0x4000, EIntr = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMessage(int fd, MsgHdr* message, int flags);

    /// <summary>Sends all of <paramref name="data"/> (a short request line) with <paramref name="passed"/>'s descriptor attached.</summary>
    public static void Send(Socket socket, ReadOnlySpan<byte> data, Socket passed)
    {
        // struct cmsghdr { size_t len; int level; int type; } + one int, padded to 8 bytes.
        const int HeaderSize = 16, ControlSize = 24;
        byte* control = stackalloc byte[ControlSize];
        new Span<byte>(control, ControlSize).Clear();
        *(nuint*)control = HeaderSize + sizeof(int);
        *(int*)(control + 8) = SolSocket;
        *(int*)(control + 12) = ScmRights;
        *(int*)(control + HeaderSize) = (int)passed.Handle;
        fixed (byte* bytes = data)
        {
            var iov = new IoVec { Base = bytes, Length = (nuint)data.Length };
            var message = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = ControlSize };
            nint sent;
            do sent = SendMessage((int)socket.Handle, &message, MsgNoSignal);
            while (sent < 0 && Marshal.GetLastPInvokeError() == EIntr);
            if (sent < 0) throw new SocketException(Marshal.GetLastPInvokeError());
            // The descriptor went with the first byte; a short send (a nearly full socket buffer) sends the rest plainly.
            if (sent < data.Length) socket.Send(data[(int)sent..]);
        }
    }
}

using System.Net.Sockets;

namespace Berth.Engine.Networks.Ports;

internal static class SocketOptions
{
    private const int SOL_SOCKET = 1;
    private const int SO_REUSEADDR = 2;

    /// <summary>
    /// SO_REUSEADDR alone. .NET's ReuseAddress option also sets SO_REUSEPORT on Linux, which would let a second
    /// listener (another berthd, another program) bind the very same port and silently share its connections.
    /// </summary>
    public static void EnableReuseAddress(Socket socket) =>
        socket.SetRawSocketOption(SOL_SOCKET, SO_REUSEADDR, BitConverter.GetBytes(1));
}

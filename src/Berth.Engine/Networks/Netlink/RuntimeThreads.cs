using System.Net;
using System.Net.Sockets;

namespace Berth.Engine.Networks.Netlink;

/// <summary>
/// The runtime starts some of its threads lazily: the socket engine's epoll thread with the first socket, the thread
/// pool's workers and gate thread, the timer thread. A thread is born in the network namespace of the thread that starts
/// it, keeps it for life, and hands it on to the threads it starts in turn. A daemon restarted with containers on user
/// networks binds their DNS sockets (on setns threads) before it has used any socket of its own, so the socket engine
/// was born inside the first container's namespace, and with it every thread-pool thread after it: bridges the daemon
/// made afterwards were then missing from its /proc/sys/net. These threads are started here, from the daemon's own
/// namespace, before the first setns thread.
/// </summary>
internal static class RuntimeThreads
{
    private static readonly Lazy<bool> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Call on a thread of the daemon's namespace before starting a setns thread.</summary>
    public static void EnsureStarted() => _ = Started.Value;

    private static bool Start()
    {
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            using var cancel = new CancellationTokenSource();
            var receive = socket.ReceiveAsync(new byte[1], SocketFlags.None, cancel.Token); // registers with the epoll thread
            cancel.Cancel();
            try
            {
                receive.AsTask().Wait();
            }
            catch (AggregateException)
            {
                // cancelled, as intended
            }
        }
        Task.Run(() => { }).Wait();
        using var timer = new Timer(_ => { }, null, 0, Timeout.Infinite);
        return true;
    }
}

namespace Berth.Engine.Swarm.Cluster;

/// <summary>Copies bytes both ways between two streams until either side ends, then closes both.</summary>
public static class TunnelPump
{
    public static async Task RunAsync(Stream a, Stream b, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forward = CopyAsync(a, b, stop.Token);
        var backward = CopyAsync(b, a, stop.Token);
        await Task.WhenAny(forward, backward);
        // One direction ended: HTTP/1.1 on these tunnels never half-closes, so the other is of no more use.
        await stop.CancelAsync();
        await a.DisposeAsync();
        await b.DisposeAsync();
        try
        {
            await Task.WhenAll(forward, backward);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, 81920, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }
    }
}

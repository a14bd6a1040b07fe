using Berth.Api;

namespace Berth.Engine.Networks.Ports;

/// <summary>The ports published for one container endpoint; disposing stops their proxies and frees the host ports.</summary>
public sealed class PortPublication : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _proxies;
    private readonly Action _release;
    private int _disposed;

    internal PortPublication(IReadOnlyList<PublishedPort> ports, List<IAsyncDisposable> proxies, Action release)
    {
        Ports = ports;
        _proxies = proxies;
        _release = release;
    }

    public IReadOnlyList<PublishedPort> Ports { get; }

    /// <summary>
    /// NetworkSettings.Ports as dockerd shows it: every exposed port, with its host bindings or null when unpublished
    /// ({"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "32768"}, {"HostIp": "::", ...}], "90/tcp": null}).
    /// </summary>
    public Dictionary<string, List<PortBinding>?> ToPortMap(IEnumerable<ContainerPort> exposed)
    {
        var map = new Dictionary<string, List<PortBinding>?>();
        foreach (var port in exposed) map[port.ToString()] = null;
        foreach (var published in Ports)
        {
            string key = published.ContainerPort.ToString();
            if (map.GetValueOrDefault(key) is not { } list) map[key] = list = [];
            list.Add(new PortBinding { HostIp = published.HostIp.ToString(), HostPort = published.HostPort.ToString() });
        }
        return map;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var proxy in _proxies) await proxy.DisposeAsync().ConfigureAwait(false);
        _release();
    }
}

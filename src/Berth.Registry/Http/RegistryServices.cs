using Berth.Registry.Auth;
using Berth.Registry.Configuration;
using Berth.Registry.Operations;
using Berth.Registry.Storage;

namespace Berth.Registry.Http;

/// <summary>What the endpoints share: settings, storage, auth, metrics and (in cache mode) the upstream.</summary>
public sealed class RegistryServices(RegistrySettings settings, RegistryStorage storage, IAccessController access, RegistryMetrics metrics, Proxy.UpstreamCache? upstream)
{
    public RegistrySettings Settings { get; } = settings;
    public RegistryStorage Storage { get; } = storage;
    public IAccessController Access { get; } = access;
    public RegistryMetrics Metrics { get; } = metrics;
    public Proxy.UpstreamCache? Upstream { get; } = upstream;
    public ManifestCache ManifestCache { get; } = new(8 << 20);

    /// <summary>Writes are refused in read-only mode and in pull-through cache mode (as docker-registry does).</summary>
    public void EnsureWritable()
    {
        if (Settings.ReadOnly)
            throw Distribution.RegistryErrors.Unsupported("the registry is in read-only mode");
        if (Upstream is not null)
            throw Distribution.RegistryErrors.Unsupported("the registry is a pull-through cache: pushes are not accepted");
    }
}

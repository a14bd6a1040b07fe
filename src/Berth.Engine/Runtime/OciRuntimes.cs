using Berth.Oci.Errors;

namespace Berth.Engine.Runtime;

/// <summary>
/// The runtimes the daemon knows by name, and the default one that containers naming none are recorded with.
/// runc is always there, also under containerd's shim name (<c>io.containerd.runc.v2</c>), which dockerd accepts too.
/// </summary>
public sealed class OciRuntimes
{
    public const string Runc = "runc";
    public const string RuncShimName = "io.containerd.runc.v2";

    private readonly Dictionary<string, OciRuntime> _byName = new(StringComparer.Ordinal);

    /// <param name="runcPath">berthd's runc.</param>
    /// <param name="configured">daemon.json "runtimes" and --add-runtime; "runc" is not among them (it is reserved).</param>
    /// <param name="defaultName">"default-runtime": empty for runc; the caller has checked that it is defined.</param>
    public OciRuntimes(string runcPath, IEnumerable<OciRuntime> configured, string defaultName = "")
    {
        _byName[RuncShimName] = new OciRuntime(RuncShimName, runcPath, [], IsRunc: true);
        foreach (var runtime in configured) _byName[runtime.Name] = runtime with { IsRunc = false };
        _byName[Runc] = new OciRuntime(Runc, runcPath, [], IsRunc: true);
        DefaultName = string.IsNullOrEmpty(defaultName) ? Runc : defaultName;
        if (!_byName.ContainsKey(DefaultName)) throw BerthException.Invalid($"specified default runtime '{DefaultName}' does not exist");
    }

    public string DefaultName { get; }

    /// <summary>Every runtime, ordered by name (as /info lists them).</summary>
    public IEnumerable<OciRuntime> All => _byName.Values.OrderBy(r => r.Name, StringComparer.Ordinal);

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// The runtime a container names (empty: the default). A name the daemon does not know (never did, or no longer:
    /// the configuration changed since the container was created) is dockerd's 400.
    /// </summary>
    public OciRuntime Resolve(string? name)
    {
        string key = string.IsNullOrEmpty(name) ? DefaultName : name;
        return _byName.TryGetValue(key, out var runtime) ? runtime : throw UnknownRuntime(key);
    }

    public static BerthException UnknownRuntime(string name) => BerthException.Invalid($"Unknown runtime specified {name}");
}

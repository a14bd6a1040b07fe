namespace Berth.Engine;

/// <summary>
/// Where one engine keeps its state. Persistent data lives under the data root; what dies with the host (mount points,
/// bundles, shim sockets, runc state) under the exec root. Several daemons with different roots coexist.
/// </summary>
public sealed class EnginePaths(string dataRoot, string execRoot)
{
    public string DataRoot { get; } = Path.GetFullPath(dataRoot);
    public string ExecRoot { get; } = Path.GetFullPath(execRoot);
    public string Content => Path.Combine(DataRoot, "content");
    public string Layers => Path.Combine(DataRoot, "layers");
    public string Images => Path.Combine(DataRoot, "images");
    public string Containers => Path.Combine(DataRoot, "containers");
    public string Tmp => Path.Combine(DataRoot, "tmp");
    /// <summary>The init layer every container shares (see ContainerService.InitLayer).</summary>
    public string InitLayer => Path.Combine(DataRoot, "init-layer");
    public string RuntimeRoot => Path.Combine(ExecRoot, "runc");
    public string ExecContainers => Path.Combine(ExecRoot, "containers");

    /// <summary>The bundle and shim state of one container: config.json, rootfs mount point, shim.sock, exit.json.</summary>
    public string BundleOf(string id) => Path.Combine(ExecContainers, id);
}

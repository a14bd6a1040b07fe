using Berth.Oci.Layers;
using Berth.Oci.Native;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    // Mount points every container gets, made in a layer between the image and the container's upper dir (Docker's
    // "-init" layer): runc then finds them, so they never show in `docker diff` or in a commit. Its content is the same
    // for every container and overlayfs never writes to a lower dir, so one per data root serves them all (Docker
    // makes one per container, ~20 file operations at each create). Containers first started by an earlier Berth have
    // one of their own in their directory, which they keep using.
    private static readonly string[] InitDirectories = ["dev", "dev/pts", "dev/shm", "proc", "sys", "etc"];
    private static readonly string[] InitFiles = ["etc/hosts", "etc/hostname", "etc/resolv.conf", ".dockerenv", "dev/console"];

    private readonly Lock _initLayerLock = new();
    private bool _initLayerMade;

    private string OwnInitDirOf(ContainerRecord container) => Path.Combine(_store.DirOf(container.Id), "init");

    /// <summary>The container's init layer: its own if it has one, else the shared one (made at first use).</summary>
    private string InitLayerOf(ContainerRecord container)
    {
        string own = OwnInitDirOf(container);
        if (Directory.Exists(own)) return own;
        lock (_initLayerLock)
        {
            if (!_initLayerMade) MakeInitLayer(_paths.InitLayer);
            _initLayerMade = true;
        }
        return _paths.InitLayer;
    }

    /// <summary>Makes an init layer once (built aside, then renamed into place).</summary>
    private static void MakeInitLayer(string init)
    {
        if (Directory.Exists(init)) return;
        string temp = init + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        foreach (var directory in InitDirectories)
        {
            string path = Path.Combine(temp, directory);
            Directory.CreateDirectory(path);
            PosixFiles.ChangeMode(path, 0x1ed);
        }
        foreach (var file in InitFiles)
        {
            string path = Path.Combine(temp, file);
            File.WriteAllBytes(path, []);
            PosixFiles.ChangeMode(path, 0x1ed);
        }
        PosixFiles.CreateSymlink("/proc/mounts", Path.Combine(temp, "etc", "mtab"));
        Directory.Move(temp, init);
    }

    /// <summary>docker diff: the container's changes against its image (init layer included), parents first.</summary>
    public IReadOnlyList<(string Path, ChangeKind Kind)> Changes(string idOrName)
    {
        using var timing = Metrics.ContainerActions.Time("changes");
        var container = _store.Get(idOrName);
        string upper = UpperDirOf(container);
        if (!Directory.Exists(upper)) return [];
        var lowers = LowerDirsOf(container);
        return OverlayChanges.List(upper, path => ExistsInLowers(lowers, path)).ToList();
    }

    /// <summary>Whether the image (seen through its layers, top first) has <paramref name="path"/>.</summary>
    private static bool ExistsInLowers(IReadOnlyList<string> lowersTopFirst, string path)
    {
        foreach (var lower in lowersTopFirst)
        {
            if (PosixFiles.TryLstat(lower + path) is { } status) return !status.IsWhiteout;
        }
        return false;
    }
}

using Berth.Oci.Layers;
using Berth.Oci.Native;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    // Mount points every container gets, made in a layer of their own between the image and the container's upper
    // dir (Docker's "-init" layer): runc then finds them, so they never show in `docker diff` or in a commit.
    private static readonly string[] InitDirectories = ["dev", "dev/pts", "dev/shm", "proc", "sys", "etc"];
    private static readonly string[] InitFiles = ["etc/hosts", "etc/hostname", "etc/resolv.conf", ".dockerenv", "dev/console"];

    public string InitDirOf(ContainerRecord container) => Path.Combine(_store.DirOf(container.Id), "init");

    /// <summary>Makes the container's init layer once (built aside, then renamed into place).</summary>
    private void EnsureInitLayer(ContainerRecord container)
    {
        string init = InitDirOf(container);
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

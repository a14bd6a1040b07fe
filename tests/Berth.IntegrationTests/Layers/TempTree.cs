namespace Berth.IntegrationTests.Layers;

/// <summary>A temporary directory removed (after unmounting anything left mounted in it) at the end of a test.</summary>
internal sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "berth-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mounts").Reverse())
        {
            string mountPoint = line.Split(' ')[1];
            if (mountPoint.StartsWith(Path + "/", StringComparison.Ordinal))
                Shell.RunAsync("umount", ["-l", mountPoint]).GetAwaiter().GetResult();
        }
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

namespace Berth.Tests.Stats;

/// <summary>A throwaway directory tree of cgroup files written from text, removed at the end of the test.</summary>
internal sealed class CgroupFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("berth-cgroup-").FullName;

    public CgroupFixture Write(string relativePath, string text)
    {
        string path = Path.Join(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

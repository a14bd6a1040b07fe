namespace Berth.IntegrationTests.Build;

/// <summary>A build context in a temporary directory: files written by the test, removed with it.</summary>
internal sealed class BuildContextDirectory : IDisposable
{
    public BuildContextDirectory(string dockerfile)
    {
        Path = Directory.CreateTempSubdirectory("berth-build-").FullName;
        Write("Dockerfile", dockerfile);
    }

    public string Path { get; }

    public BuildContextDirectory Write(string relative, string content)
    {
        string file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

using Berth.Compose.Loading;

namespace Berth.Tests.Compose.Loading;

/// <summary>A temporary directory of compose files for loader tests, and the options that load from it.</summary>
public abstract class ComposeFileTests(string prefix) : IDisposable
{
    protected readonly string _root = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected string Write(string relativePath, string text)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    protected string Dir(string relativePath) => Directory.CreateDirectory(Path.Combine(_root, relativePath)).FullName;

    /// <summary>Loading as if run in <paramref name="currentDirectory"/> with only <paramref name="shell"/> in the environment.</summary>
    protected static ProjectOptions Options(string currentDirectory, Dictionary<string, string>? shell = null) => new()
    {
        CurrentDirectory = currentDirectory,
        Environment = name => shell is not null && shell.TryGetValue(name, out var value) ? value : null,
    };
}

namespace Berth.Tests.Layers;

/// <summary>
/// A scratch area with a root to extract into and a sentinel directory beside it: anything escaping the root
/// would most likely land in (or next to) the sentinel, which must stay empty.
/// </summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Base = Path.Combine(Path.GetTempPath(), "berth-test-" + Guid.NewGuid().ToString("N"));
        Root = Path.Combine(Base, "root");
        Sentinel = Path.Combine(Base, "sentinel");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Sentinel);
    }

    public string Base { get; }
    public string Root { get; }
    public string Sentinel { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    /// <summary>True when nothing but root/ and the empty sentinel/ exists in the base.</summary>
    public bool NothingEscaped =>
        !Directory.EnumerateFileSystemEntries(Sentinel).Any()
        && Directory.EnumerateFileSystemEntries(Base).Order().SequenceEqual([Root, Sentinel]);

    public void Dispose()
    {
        try { Directory.Delete(Base, recursive: true); } catch (IOException) { }
    }
}

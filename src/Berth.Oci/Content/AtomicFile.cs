namespace Berth.Oci.Content;

/// <summary>
/// Writes files so that a reader (or a process killed at any instant) sees either the old content or the new,
/// never a torn file: write to a temporary file in the same directory, fsync, rename over the target.
/// </summary>
public static class AtomicFile
{
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        string temp = TempPathFor(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        string temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Temporary files start with ".tmp-" so that startup recovery can find and remove leftovers.</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", $".tmp-{Path.GetFileName(path)}-{Guid.NewGuid():N}");

    public const string TempPrefix = ".tmp-";

    /// <summary>Removes temporary files left by a process that died mid-write.</summary>
    public static void RemoveLeftovers(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, TempPrefix + "*"))
            TryDelete(file);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

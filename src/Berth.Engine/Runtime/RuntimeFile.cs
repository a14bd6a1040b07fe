using Berth.Oci.Content;

namespace Berth.Engine.Runtime;

/// <summary>
/// Files of the exec root (bundle config, shim launch config): replaced whole through a temp file and a rename, so a
/// reader sees the old or the new content, but never fsynced. They describe processes, which a power loss ends anyway,
/// and are rewritten before each use; a sync would only add a disk flush (milliseconds on a busy disk) to every start.
/// </summary>
public static class RuntimeFile
{
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        string temp = AtomicFile.TempPathFor(path);
        try
        {
            await File.WriteAllBytesAsync(temp, content, ct).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }
}

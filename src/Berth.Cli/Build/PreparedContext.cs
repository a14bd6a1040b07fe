namespace Berth.Cli.Build;

/// <summary>
/// A build context ready to send: its tar writer, the Dockerfile name for the daemon (null: its default), and the
/// temporary directory of a cloned or downloaded context, removed once the build is over.
/// </summary>
public sealed record PreparedContext(Func<Stream, CancellationToken, Task> Write, string? Dockerfile, string? TemporaryDirectory = null)
    : IDisposable
{
    public void Dispose()
    {
        if (TemporaryDirectory is null) return;
        try
        {
            Directory.Delete(TemporaryDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the temporary directory, as docker leaves one it cannot remove.
        }
    }
}

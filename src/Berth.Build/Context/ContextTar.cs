using Berth.Oci.ContainerFiles;

namespace Berth.Build.Context;

/// <summary>A build context that arrives as a tar (the request body, or a downloaded archive): plain, gzip or zstd.</summary>
public static class ContextTar
{
    /// <summary>Unpacks <paramref name="archive"/> where nothing in it can reach outside (entries with "..", absolute links).</summary>
    public static async Task ExtractAsync(Stream archive, string directory, CancellationToken cancellationToken)
    {
        using var root = ScopedRoot.Open(directory, "build context");
        await ContainerArchive.ExtractAsync(root, "/", archive, new ExtractOptions(false), "build context", cancellationToken);
    }
}

using Berth.Engine.Containers;
using Berth.Engine.Runtime.Bundle;
using Berth.Oci.ContainerFiles;
using Berth.Oci.Errors;

namespace Berth.Build.Execution;

/// <summary>
/// The filesystem a COPY, ADD or WORKDIR writes into: a container of the stage's image (its writable layer becomes the
/// step's layer), or, for a stage FROM scratch, an empty directory that becomes the layer whole.
/// </summary>
internal interface ICopyTarget
{
    /// <summary>The directory whose contents are the step's changes, once written.</summary>
    string ChangesDirectory { get; }

    Task<ImagePathKind> KindAsync(string path, CancellationToken cancellationToken);
    Task ExtractAsync(string directory, Stream tar, CancellationToken cancellationToken);
    Task<(uint Uid, uint Gid)> ResolveUserAsync(string user, CancellationToken cancellationToken);
}

/// <summary>A created, never started container: its overlay is mounted only while a call reads or writes it.</summary>
internal sealed class ContainerCopyTarget(ContainerService containers, ContainerRecord container) : ICopyTarget
{
    public string ChangesDirectory => containers.UpperDirOf(container);

    public async Task<ImagePathKind> KindAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var stat = await containers.StatPathAsync(container.Id, path, cancellationToken);
            if (stat.IsDirectory) return ImagePathKind.Directory;
            if (stat.LinkTarget.Length > 0 && stat.LinkTarget != path) return await KindAsync(stat.LinkTarget, cancellationToken);
            return ImagePathKind.Other;
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return ImagePathKind.Missing;
        }
    }

    public Task ExtractAsync(string directory, Stream tar, CancellationToken cancellationToken) =>
        containers.ExtractToPathAsync(container.Id, directory, tar, noOverwriteDirNonDir: false, copyUidGid: false, cancellationToken);

    public Task<(uint Uid, uint Gid)> ResolveUserAsync(string user, CancellationToken cancellationToken) =>
        containers.ResolveUserAsync(container.Id, user, cancellationToken);
}

/// <summary>A stage FROM scratch: an empty directory of the daemon's, written through the same scoped extraction.</summary>
internal sealed class ScratchCopyTarget(string directory) : ICopyTarget
{
    public string ChangesDirectory => directory;

    public Task<ImagePathKind> KindAsync(string path, CancellationToken cancellationToken)
    {
        using var root = ScopedRoot.Open(directory, "build stage");
        try
        {
            var stat = ContainerArchive.Stat(root, path, "build stage");
            return Task.FromResult(stat.IsDirectory ? ImagePathKind.Directory : ImagePathKind.Other);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return Task.FromResult(ImagePathKind.Missing);
        }
    }

    public async Task ExtractAsync(string path, Stream tar, CancellationToken cancellationToken)
    {
        using var root = ScopedRoot.Open(directory, "build stage");
        await ContainerArchive.ExtractAsync(root, path, tar, new ExtractOptions(false), "build stage", cancellationToken);
    }

    public Task<(uint Uid, uint Gid)> ResolveUserAsync(string user, CancellationToken cancellationToken)
    {
        var resolved = UserResolver.Resolve(directory, user, []);
        return Task.FromResult((resolved.Uid, resolved.Gid));
    }
}

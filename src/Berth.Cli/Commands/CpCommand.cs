using System.IO.Pipelines;
using Berth.Cli.Copy;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// docker cp: CONTAINER:SRC to a local path (or "-" for a tar on stdout), or a local path (or "-" for a tar on stdin)
/// to CONTAINER:DEST. Where the copy lands follows docker's rules (see <see cref="CopyPlan"/>); the daemon only ever
/// sees a path to archive or a directory to extract into.
/// </summary>
public static class CpCommand
{
    public static readonly CommandSpec Spec = new("cp", "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
        "Copy files/folders between a container and the local filesystem",
    [
        FlagSpec.Bool("archive", 'a', "Archive mode (copy all uid/gid information)"),
        FlagSpec.Bool("follow-link", 'L', "Always follow symbol link in SRC_PATH"),
        FlagSpec.Bool("quiet", 'q', "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached"),
    ], ArgRule.Exactly(2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var (source, destination) = (Split(flags.Positionals[0]), Split(flags.Positionals[1]));
        try
        {
            if (source.Container is not null && destination.Container is not null)
                throw new CopyException("copying between containers is not supported");
            if (source.Container is null && destination.Container is null)
                throw new CopyException("must specify at least one container source");
            if (source.Container is not null)
                await FromContainerAsync(context, source.Container, source.Path, destination.Path, flags.Bool("follow-link"));
            else
                await ToContainerAsync(context, source.Path, destination.Container!, destination.Path, flags.Bool("follow-link"), flags.Bool("archive"));
            return 0;
        }
        catch (CopyException e)
        {
            throw new CliException(e.Message);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new CliException(e.Message);
        }
    }

    /// <summary>"name:path" names a container path unless the part before the colon looks like a local path.</summary>
    private static (string? Container, string Path) Split(string argument)
    {
        if (argument.StartsWith('/') || argument.StartsWith("./", StringComparison.Ordinal) || argument.StartsWith("../", StringComparison.Ordinal))
            return (null, argument);
        int colon = argument.IndexOf(':');
        if (colon <= 0) return (null, argument);
        string container = argument[..colon], path = argument[(colon + 1)..];
        return (container, path.Length == 0 ? "." : path);
    }

    private static async Task FromContainerAsync(CliContext context, string container, string sourcePath, string destinationPath, bool followLink)
    {
        var client = context.Client;
        if (destinationPath != "-")
        {
            destinationPath = HostPaths.Absolute(destinationPath);
            HostPaths.ValidateOutputPath(destinationPath);
        }
        string rebase = "";
        if (followLink)
        {
            var stat = await client.StatContainerPathAsync(container, sourcePath, context.Cancellation);
            if (stat.IsSymlink) (sourcePath, rebase) = CopyPath.RebaseFor(sourcePath, CopyPath.ResolveLinkTarget(sourcePath, stat.LinkTarget));
        }
        var (archive, sourceStat) = await client.GetArchiveAsync(container, sourcePath, context.Cancellation);
        await using (archive)
        {
            if (destinationPath == "-")
            {
                context.FlushOut();
                await archive.CopyToAsync(context.StdoutStream, context.Cancellation);
                await context.StdoutStream.FlushAsync(context.Cancellation);
                return;
            }
            var source = new CopySource(sourcePath, sourceStat.IsDirectory, rebase);
            var plan = CopyPlan.Prepare(source, HostPaths.Destination(destinationPath));
            await new HostArchiveExtractor(plan.ExtractDirectory, source.ArchiveRoot, plan.RootName).ExtractAsync(archive, context.Cancellation);
        }
    }

    private static async Task ToContainerAsync(CliContext context, string sourcePath, string container, string destinationPath, bool followLink, bool archiveMode)
    {
        var client = context.Client;
        var destination = await ContainerDestinationAsync(client, container, destinationPath, context.Cancellation);
        if (sourcePath == "-")
        {
            if (!destination.IsDirectory) throw new CopyException($"destination \"{container}:{destinationPath}\" must be a directory");
            await client.PutArchiveAsync(container, destination.Path, context.Stdin, archiveMode, context.Cancellation);
            return;
        }
        var source = HostPaths.Source(HostPaths.Absolute(sourcePath), followLink);
        var plan = CopyPlan.Prepare(source, destination);
        // The tar is written while it uploads: nothing is staged on disk, however big the tree.
        var pipe = new Pipe();
        var writing = Task.Run(async () =>
        {
            var output = pipe.Writer.AsStream();
            try
            {
                await HostArchiveWriter.WriteAsync(source.Path, plan.RootName, output, context.Cancellation);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        });
        try
        {
            await client.PutArchiveAsync(container, plan.ExtractDirectory, pipe.Reader.AsStream(), archiveMode, context.Cancellation);
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
        }
        await writing;
    }

    /// <summary>docker's view of a container destination: a symlink is followed once; anything but a directory or a regular file is refused.</summary>
    private static async Task<CopyDestination> ContainerDestinationAsync(EngineClient client, string container, string path, CancellationToken cancellationToken)
    {
        ContainerPathStat? stat = await TryStatAsync(client, container, path, cancellationToken);
        string resolved = path;
        if (stat is { IsSymlink: true })
        {
            resolved = CopyPath.ResolveLinkTarget(path, stat.LinkTarget);
            stat = await TryStatAsync(client, container, resolved, cancellationToken);
        }
        if (stat is not null && !stat.IsDirectory && !stat.IsRegular)
            throw new CopyException($"destination \"{container}:{path}\" must be a directory or a regular file");
        return new CopyDestination(resolved, stat is not null, stat?.IsDirectory ?? false);
    }

    private static async Task<ContainerPathStat?> TryStatAsync(EngineClient client, string container, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await client.StatContainerPathAsync(container, path, cancellationToken);
        }
        catch (EngineApiException)
        {
            return null;
        }
    }
}

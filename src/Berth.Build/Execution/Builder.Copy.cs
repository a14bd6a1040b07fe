using Berth.Api;
using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Engine.Containers;
using Berth.Oci.ContainerFiles;
using Berth.Oci.Errors;
using Berth.Oci.Layers;
using Berth.Oci.Layers.Tar;
using Berth.Oci.Native;

namespace Berth.Build.Execution;

public sealed partial class Builder
{
    private static readonly HttpClient Downloads = new();

    /// <summary>
    /// COPY and ADD: sources from the context (or, with --from, from an earlier stage or an image), written into the
    /// image's filesystem as Docker's destination rules place them, owned by root or --chown's user. ADD also takes
    /// URLs (downloaded, mode 0600) and unpacks local tar archives (plain, gzip, zstd) into the destination.
    /// </summary>
    private async Task CopyStepAsync(StageState stage, Instruction instruction, CancellationToken cancellationToken)
    {
        string keyword = instruction.Keyword;
        string? from = null, chown = null;
        foreach (var flag in instruction.Flags)
        {
            switch (flag.Name)
            {
                case "from" when keyword == "COPY": from = flag.Value ?? ""; break;
                case "chown": chown = ShellWords.Expand(flag.Value ?? "", stage.Lookup, _escape); break;
                case "chmod":
                    throw BerthException.Invalid("the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled");
                default: throw BerthException.Invalid($"Unknown flag: {flag.Name}");
            }
        }
        var words = instruction.JsonArguments is { } json
            ? json.Select(w => ShellWords.Expand(w, stage.Lookup, _escape)).ToList()
            : [.. ShellWords.ExpandWords(instruction.Arguments, stage.Lookup, _escape)];
        if (words.Count < 2)
            throw BerthException.Invalid($"{keyword} requires at least two arguments, but only one was provided. Destination could not be determined.");
        string destination = words[^1].StartsWith('/') ? words[^1] : Combine(stage.Config.WorkingDir, words[^1]);

        string sourceDir = Path.Combine(_tempDir, "sources");
        Directory.CreateDirectory(sourceDir);
        try
        {
            var files = from is null ? _context : await ExportFromAsync(from, words.SkipLast(1).ToList(), sourceDir, cancellationToken);
            var sources = new List<(ContextSource Source, bool IsArchive)>();
            int downloads = 0;
            foreach (string word in words.SkipLast(1))
            {
                if (keyword == "ADD" && IsUrl(word))
                    sources.Add((await DownloadAsync(word, Path.Combine(sourceDir, $"url{downloads++}"), cancellationToken), false));
                else
                    foreach (var source in files.Resolve(word, keyword))
                        sources.Add((source, keyword == "ADD" && from is null && !source.IsDirectory && await IsTarArchiveAsync(source.HostPath, cancellationToken)));
            }

            string kind = sources.Count > 1 ? "multi" : sources[0].Source.IsDirectory ? "dir" : "file";
            string description = $"{keyword} {(chown is null ? "" : $"--chown={chown} ")}{kind}:{CopyArchive.Hash(sources)} in {words[^1]} ";
            var cacheKey = CacheKey(stage, [.. stage.Shell, "#(nop) " + description]); // one word here, as Docker writes it
            if (TryCache(stage, cacheKey)) return;

            await WithCopyTargetAsync(stage, cacheKey, async target =>
            {
                var plan = CopyPlan.Create(keyword, sources, destination, await ProbeAsync(target, destination, cancellationToken));
                var (uid, gid) = chown is null ? (0u, 0u) : await target.ResolveUserAsync(chown, cancellationToken);
                await ExtractPlanAsync(target, plan, (int)uid, (int)gid, cancellationToken);
                foreach (var archive in plan.Items.Where(i => i.IsArchive))
                {
                    await using var tar = File.OpenRead(archive.HostPath);
                    await target.ExtractAsync(archive.Target, tar, cancellationToken);
                }
            }, cancellationToken);
        }
        finally
        {
            Directory.Delete(sourceDir, recursive: true);
        }
    }

    /// <summary>
    /// WORKDIR: sets the directory, and creates it in the image when it is missing (as BuildKit does; dockerd 20.10's
    /// classic builder leaves it to the runtime).
    /// </summary>
    private async Task WorkdirStepAsync(StageState stage, Instruction instruction, CancellationToken cancellationToken)
    {
        string path = ShellWords.Expand(instruction.Arguments, stage.Lookup, _escape);
        if (path.Length == 0) throw BerthException.Invalid("WORKDIR requires exactly one argument");
        path = CopyPlan.CleanAbsolute(path.StartsWith('/') ? path : Combine(stage.Config.WorkingDir, path));
        stage.Config.WorkingDir = path;
        string description = "WORKDIR " + path;
        var cacheKey = CacheKey(stage, [.. stage.Shell, "#(nop) " + description]); // one word here, as Docker writes it
        if (TryCache(stage, cacheKey)) return;

        await WithCopyTargetAsync(stage, cacheKey, async target =>
        {
            var plan = CopyPlan.Create("WORKDIR", [], path + "/", await ProbeAsync(target, path, cancellationToken));
            await ExtractPlanAsync(target, plan, 0, 0, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// What a destination and its parents are in the image, up to the first directory that exists: all the planner
    /// asks about (above that directory, everything is one). Each look at a container's files mounts its root.
    /// </summary>
    private static async Task<Func<string, ImagePathKind>> ProbeAsync(ICopyTarget target, string destination, CancellationToken cancellationToken)
    {
        var kinds = new Dictionary<string, ImagePathKind>(StringComparer.Ordinal);
        for (string path = CopyPlan.CleanAbsolute(destination); ; path = CopyPlan.Parent(path))
        {
            kinds[path] = await target.KindAsync(path, cancellationToken);
            if (path == "/" || kinds[path] == ImagePathKind.Directory) break;
        }
        return path => kinds.GetValueOrDefault(path, ImagePathKind.Directory);
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the stage's filesystem and commits what it changed as the step's image: a
    /// container of the stage's image (made for this and removed after), or a fresh directory for a scratch stage.
    /// </summary>
    private async Task WithCopyTargetAsync(StageState stage, Oci.Images.ImageRuntimeConfig cacheKey, Func<ICopyTarget, Task> write,
        CancellationToken cancellationToken)
    {
        var step = new Engine.Images.BuildStep(stage.Image, StageState.Copy(stage.Config), cacheKey, string.Join(' ', cacheKey.Cmd!), stage.Author, null);
        if (stage.Image is null)
        {
            string scratch = Path.Combine(_tempDir, "scratch");
            Directory.CreateDirectory(scratch);
            try
            {
                await write(new ScratchCopyTarget(scratch));
                stage.Image = await _backend.Images.CommitBuildStepAsync(step, scratch, _tempDir, cancellationToken);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
        else
        {
            var container = await CreateFilesContainerAsync(stage.Image.Id, [.. cacheKey.Cmd!], cancellationToken);
            try
            {
                await write(new ContainerCopyTarget(_backend.Containers, container));
                stage.Image = await _backend.Images.CommitBuildStepAsync(step with { ContainerId = container.Id },
                    _backend.Containers.UpperDirOf(container), _tempDir, cancellationToken);
            }
            finally
            {
                await _backend.Containers.RemoveAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
            }
        }
        _output.Image(stage.Image.Id);
    }

    /// <summary>A container that is never started, only mounted to read or write its files: no network, no health check.</summary>
    private Task<ContainerRecord> CreateFilesContainerAsync(string imageId, List<string> command, CancellationToken cancellationToken) =>
        _backend.Containers.CreateAsync(null, new ContainerConfig
        {
            Image = imageId,
            Cmd = command,
            Entrypoint = [""],
            Healthcheck = new HealthConfig { Test = ["NONE"] },
        }, new HostConfig { NetworkMode = "none" }, cancellationToken, []);

    private async Task ExtractPlanAsync(ICopyTarget target, CopyPlan plan, int uid, int gid, CancellationToken cancellationToken)
    {
        if (plan.NewDirectories.Count == 0 && plan.Items.All(i => i.IsArchive)) return;
        string path = Path.Combine(_tempDir, "copy.tar");
        await using (var tar = File.Create(path))
            await CopyArchive.WriteAsync(plan, uid, gid, tar, cancellationToken);
        await using (var tar = File.OpenRead(path))
            await target.ExtractAsync(plan.ExtractAt, tar, cancellationToken);
        File.Delete(path);
    }

    /// <summary>
    /// COPY --from: the named paths of an earlier stage (by name or index) or of an image, exported into
    /// <paramref name="directory"/> at the same paths, so the sources resolve there as in a context.
    /// </summary>
    private async Task<ContextFiles> ExportFromAsync(string from, IReadOnlyList<string> sources, string directory, CancellationToken cancellationToken)
    {
        var stage = int.TryParse(from, out int index) && index >= 0 && index < _stages.Count
            ? _stages[index]
            : _stages.LastOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase));
        if (stage is null && int.TryParse(from, out _)) throw BerthException.Invalid($"invalid from flag value {from}: refers to current build stage");
        var image = stage is not null ? stage.Image : await BaseImageAsync(from, cancellationToken);
        if (image is null) return new ContextFiles(directory); // a scratch stage: nothing to copy, and the sources are then not found

        var container = await CreateFilesContainerAsync(image.Id, ["#(nop) COPY --from"], cancellationToken);
        try
        {
            foreach (string source in sources)
            {
                // Up to the first component with a wildcard: what exists there is exported whole, then matched.
                var parts = ContextFiles.Clean(source).Split('/');
                int literal = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?', '[']) >= 0);
                string exported = "/" + string.Join('/', literal < 0 ? parts : parts[..Math.Max(literal, 0)]);
                if (exported == "/.") exported = "/";
                string parent = CopyPlan.Parent(exported);
                string into = Path.Combine(directory, parent.TrimStart('/'));
                Directory.CreateDirectory(into);
                string archive = Path.Combine(_tempDir, "export.tar");
                Stream? written = null;
                try
                {
                    await _backend.Containers.ArchivePathAsync(container.Id, exported, _ => Task.FromResult(written = File.Create(archive)), cancellationToken);
                }
                catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
                {
                    continue; // Resolve below reports it as Docker does
                }
                finally
                {
                    if (written is not null) await written.DisposeAsync();
                }
                using var root = ScopedRoot.Open(directory, "build stage " + from);
                await using (var tar = File.OpenRead(archive))
                    await ContainerArchive.ExtractAsync(root, parent, tar, new ExtractOptions(false), "build stage " + from, cancellationToken);
                File.Delete(archive);
            }
        }
        finally
        {
            await _backend.Containers.RemoveAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
        }
        return new ContextFiles(directory);
    }

    private static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>ADD's URL source: downloaded under the URL's last path component, mode 0600, with the server's modification time.</summary>
    private static async Task<ContextSource> DownloadAsync(string url, string directory, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        string name = Path.GetFileName(uri.AbsolutePath);
        if (name.Length == 0) throw BerthException.Invalid($"cannot determine filename from url: {url}");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        using var response = await Downloads.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw BerthException.Invalid($"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}");
        await using (var file = File.Create(path))
            await response.Content.CopyToAsync(file, cancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (response.Content.Headers.LastModified is { } modified) File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        return new ContextSource(path, name, false);
    }

    /// <summary>Whether ADD unpacks a file: a tar, or a gzip, zstd, xz or bzip2 stream holding one (by content, not by name).</summary>
    private static async Task<bool> IsTarArchiveAsync(string path, CancellationToken cancellationToken)
    {
        if (PosixFiles.TryLstat(path)?.Kind != FileKind.Regular) return false;
        try
        {
            await using var file = File.OpenRead(path);
            var (content, _) = await Compression.DecompressAsync(file, leaveOpen: true, cancellationToken);
            await using (content)
                return await new TarStreamReader(content).NextAsync(cancellationToken) is not null;
        }
        catch (Exception e) when (e is BerthException { Kind: ErrorKind.Invalid } or IOException || Compression.IsCorruptInput(e))
        {
            return false;
        }
    }

    private static string Combine(string? workingDir, string path)
    {
        string directory = string.IsNullOrEmpty(workingDir) ? "/" : workingDir;
        return directory.EndsWith('/') ? directory + path : directory + "/" + path;
    }
}

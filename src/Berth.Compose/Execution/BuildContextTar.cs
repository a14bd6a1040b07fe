using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Berth.Api.BuildContext;

namespace Berth.Compose.Execution;

/// <summary>
/// The tar of a directory build context as docker's client sends it: depth first, names sorted bytewise, the
/// .dockerignore applied except to the Dockerfile and the .dockerignore themselves, owner 0:0, symlinks as links.
/// A Dockerfile from outside the context, or an inline one, is added under a random name that the .dockerignore sent
/// along also lists, so COPY and ADD never see it.
/// Everything that is neither a directory nor a link is sent as a regular file: .NET cannot tell a fifo or a socket
/// from a file without native calls, and build contexts hold none in practice.
/// </summary>
public sealed class BuildContextTar
{
    private const string IgnoreFile = ".dockerignore";
    private readonly string _root;
    private readonly DockerIgnore _ignore;
    private readonly string? _dockerfileInContext;
    private readonly List<(string Name, byte[] Content)> _generated = [];
    private byte[]? _ignoreReplacement;

    /// <summary>The Dockerfile name to give the daemon.</summary>
    public string Dockerfile { get; }

    /// <param name="dockerfile">Relative to the context (or absolute); null for "Dockerfile".</param>
    /// <param name="inlineDockerfile">dockerfile_inline content, which wins over <paramref name="dockerfile"/>.</param>
    public BuildContextTar(string root, string? dockerfile, string? inlineDockerfile)
    {
        _root = Path.GetFullPath(root);
        if (!Directory.Exists(_root))
            throw new ComposeException($"unable to prepare context: path \"{root}\" not found");
        string ignorePath = Path.Join(_root, IgnoreFile);
        _ignore = File.Exists(ignorePath) ? DockerIgnore.Parse(File.ReadAllText(ignorePath)) : DockerIgnore.Empty;

        byte[]? outside = inlineDockerfile is not null ? Encoding.UTF8.GetBytes(inlineDockerfile) : null;
        if (outside is null)
        {
            string full = Path.GetFullPath(Path.Combine(_root, dockerfile ?? "Dockerfile"));
            string relative = Path.GetRelativePath(_root, full).Replace('\\', '/');
            if (!relative.StartsWith("../", StringComparison.Ordinal) && relative != ".." && !Path.IsPathRooted(relative))
            {
                _dockerfileInContext = relative;
                Dockerfile = relative;
                return;
            }
            if (!File.Exists(full))
                throw new ComposeException($"failed to read dockerfile: open {full}: no such file or directory");
            outside = File.ReadAllBytes(full);
        }
        Dockerfile = ".dockerfile." + RandomNumberGenerator.GetHexString(20, lowercase: true);
        _generated.Add((Dockerfile, outside));
        byte[] extra = Encoding.UTF8.GetBytes($"\n{Dockerfile}\n");
        if (File.Exists(ignorePath))
            _ignoreReplacement = [.. File.ReadAllBytes(ignorePath), .. extra];
        else
            _generated.Add((IgnoreFile, Encoding.UTF8.GetBytes($"{IgnoreFile}\n{Dockerfile}\n")));
    }

    /// <summary>The relative names the tar holds (directories without their trailing '/'), in order.</summary>
    public List<string> EntryNames()
    {
        var names = new List<string>();
        Walk(_root, "", (relative, _, _) => names.Add(relative));
        names.AddRange(_generated.Select(g => g.Name));
        return names;
    }

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        var entries = new List<(string Relative, string Full, FileSystemInfo Info)>();
        Walk(_root, "", (relative, full, info) => entries.Add((relative, full, info)));
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (relative, full, info) in entries)
        {
            bool isLink = info.LinkTarget is not null;
            var type = isLink ? TarEntryType.SymbolicLink : info is DirectoryInfo ? TarEntryType.Directory : TarEntryType.RegularFile;
            var entry = new PaxTarEntry(type, type == TarEntryType.Directory ? relative + "/" : relative)
            {
                Uid = 0,
                Gid = 0,
                Mode = isLink ? (UnixFileMode)0x1FF : info.UnixFileMode,
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds()),
            };
            if (isLink)
                entry.LinkName = info.LinkTarget!;
            if (type == TarEntryType.RegularFile)
            {
                if (relative == IgnoreFile && _ignoreReplacement is not null)
                {
                    entry.DataStream = new MemoryStream(_ignoreReplacement, writable: false);
                    await writer.WriteEntryAsync(entry, ct);
                    continue;
                }
                await using var data = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.Asynchronous);
                entry.DataStream = data;
                await writer.WriteEntryAsync(entry, ct);
                continue;
            }
            await writer.WriteEntryAsync(entry, ct);
        }
        foreach (var (name, content) in _generated)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                Uid = 0,
                Gid = 0,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                DataStream = new MemoryStream(content, writable: false),
            };
            await writer.WriteEntryAsync(entry, ct);
        }
    }

    private void Walk(string directory, string prefix, Action<string, string, FileSystemInfo> visit)
    {
        var children = new DirectoryInfo(directory).EnumerateFileSystemInfos()
            .OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        foreach (var info in children)
        {
            string relative = prefix + info.Name;
            bool isLink = info.LinkTarget is not null;
            bool isDirectory = !isLink && info is DirectoryInfo;
            if (IsExcluded(relative))
            {
                if (isDirectory && MayHoldIncluded(relative))
                    Walk(info.FullName, relative + "/", visit);
                continue;
            }
            visit(relative, info.FullName, info);
            if (isDirectory)
                Walk(info.FullName, relative + "/", visit);
        }
    }

    private bool IsExcluded(string relative)
        => relative != IgnoreFile && relative != _dockerfileInContext && _ignore.IsExcluded(relative);

    private bool MayHoldIncluded(string directory)
        => _ignore.HasExceptions || (_dockerfileInContext?.StartsWith(directory + "/", StringComparison.Ordinal) ?? false);
}

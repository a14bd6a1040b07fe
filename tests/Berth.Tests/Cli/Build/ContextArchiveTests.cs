using System.Formats.Tar;
using System.Net.Sockets;
using System.Text;
using Berth.Cli.Build;

namespace Berth.Tests.Cli.Build;

/// <summary>
/// The context tar of a directory, compared with what docker CLI 28 sent for the same tree (captured against a
/// recording fake daemon): .dockerignore applied but never to the Dockerfile or to itself, depth-first sorted order,
/// owner 0:0 with no names, modes kept, symlinks as links, no socket.
/// </summary>
public sealed class ContextArchiveTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-buildctx-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string content = "x\n")
    {
        string path = Path.Join(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static async Task<List<TarEntry>> ReadTarAsync(Func<Stream, CancellationToken, Task> write)
    {
        var buffer = new MemoryStream();
        await write(buffer, CancellationToken.None);
        buffer.Position = 0;
        var entries = new List<TarEntry>();
        using var reader = new TarReader(buffer);
        while (reader.GetNextEntry(copyData: true) is { } entry)
            entries.Add(entry);
        return entries;
    }

    private static string Content(TarEntry entry) => new StreamReader(entry.DataStream!).ReadToEnd();

    private async Task<(List<TarEntry> Entries, string Dockerfile)> BuildAsync(string? dockerfileFlag = null, byte[]? outside = null)
    {
        var local = LocalContext.Resolve(_root, dockerfileFlag);
        var (archive, dockerfile) = DirectoryContext.Prepare(local, outside ?? (local.OutsideDockerfile is { } path ? File.ReadAllBytes(path) : null));
        return (await ReadTarAsync(archive.WriteAsync), dockerfile);
    }

    [Fact]
    public async Task DockerignoreIsAppliedButNeverToTheDockerfileOrItself()
    {
        Write("Dockerfile", "FROM busybox\n");
        Write(".dockerignore", "Dockerfile\n.dockerignore\nsub\n*.log\n");
        Write("sub/a");
        Write("sub/deep/b");
        Write("x.log");
        Write("other/k");
        File.SetUnixFileMode(Path.Join(_root, "other/k"), (UnixFileMode)0x9ED); // 04755
        File.CreateSymbolicLink(Path.Join(_root, "link"), "other/k");
        File.CreateSymbolicLink(Path.Join(_root, "dangling"), "/nonexist");
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            socket.Bind(new UnixDomainSocketEndPoint(Path.Join(_root, "sock")));

        var (entries, dockerfile) = await BuildAsync();

        Assert.Equal("Dockerfile", dockerfile);
        Assert.Equal([".dockerignore", "Dockerfile", "dangling", "link", "other/", "other/k"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal((0, 0, "", ""), (e.Uid, e.Gid, ((PosixTarEntry)e).UserName, ((PosixTarEntry)e).GroupName)));
        var link = entries.Single(e => e.Name == "link");
        Assert.Equal((TarEntryType.SymbolicLink, "other/k", (UnixFileMode)0x1FF), (link.EntryType, link.LinkName, link.Mode));
        Assert.Equal((UnixFileMode)0x9ED, entries.Single(e => e.Name == "other/k").Mode);
        Assert.Equal(TarEntryType.Directory, entries.Single(e => e.Name == "other/").EntryType);
        Assert.Equal("FROM busybox\n", Content(entries.Single(e => e.Name == "Dockerfile")));
        Assert.All(entries, e => Assert.Equal(TarEntryFormat.Ustar, e.Format));
    }

    [Fact]
    public async Task AnExceptionBringsBackAFileInsideAnExcludedDirectoryWithoutTheDirectory()
    {
        Write("Dockerfile");
        Write(".dockerignore", "sub\n!sub/deep/b\n");
        Write("sub/a");
        Write("sub/deep/b");
        Write("s2/q");

        var (entries, _) = await BuildAsync();

        Assert.Equal([".dockerignore", "Dockerfile", "s2/", "s2/q", "sub/deep/b"], entries.Select(e => e.Name));
    }

    [Fact]
    public async Task ADockerfileInAnExcludedDirectoryIsStillSent()
    {
        Write("Dockerfile");
        Write("sub/Dockerfile", "FROM sub\n");
        Write("sub/other");
        Write(".dockerignore", "sub\n");

        var (entries, dockerfile) = await BuildAsync(Path.Join(_root, "sub/Dockerfile"));

        Assert.Equal("sub/Dockerfile", dockerfile);
        Assert.Equal([".dockerignore", "Dockerfile", "sub/Dockerfile"], entries.Select(e => e.Name));
    }

    [Fact]
    public async Task ADockerfileOutsideTheContextIsAddedUnderARandomNameThatTheDockerignoreNames()
    {
        Write("a.txt");
        Write(".dockerignore", "*.log");
        string outside = Path.Join(Directory.CreateTempSubdirectory("berth-outside-").FullName, "Outside.df");
        File.WriteAllText(outside, "FROM busybox\n#outside\n");
        try
        {
            var (entries, dockerfile) = await BuildAsync(outside);

            Assert.Matches("^\\.dockerfile\\.[0-9a-f]{20}$", dockerfile);
            Assert.Equal([".dockerignore", "a.txt", dockerfile], entries.Select(e => e.Name));
            Assert.Equal($"*.log\n{dockerfile}\n", Content(entries[0]));
            Assert.Equal("FROM busybox\n#outside\n", Content(entries[2]));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, entries[2].Mode);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(outside)!, recursive: true);
        }
    }

    [Fact]
    public async Task AnAddedDockerfileBringsADockerignoreWhenThereIsNone()
    {
        Write("a.txt");

        var (entries, dockerfile) = await BuildAsync("-", Encoding.UTF8.GetBytes("FROM busybox\n"));

        Assert.Equal(["a.txt", ".dockerignore", dockerfile], entries.Select(e => e.Name));
        Assert.Equal($".dockerignore\n{dockerfile}\n", Content(entries[1]));
    }

    [Fact]
    public async Task LongNamesGoInPaxHeaders()
    {
        Write("Dockerfile");
        string longName = "d/" + new string('n', 120);
        Write(longName);
        Write("ü.txt");

        var (entries, _) = await BuildAsync();

        Assert.Equal(["Dockerfile", "d/", longName, "ü.txt"], entries.Select(e => e.Name));
        Assert.Equal(TarEntryFormat.Pax, entries[2].Format);
        Assert.Equal(TarEntryFormat.Pax, entries[3].Format);
    }

    [Fact]
    public void WithoutDashFTheLowercaseDockerfileIsFoundWhenItIsTheOnlyOne()
    {
        Write("dockerfile");
        Assert.Equal("dockerfile", LocalContext.Resolve(_root, null).DockerfileInContext);
    }

    [Fact]
    public void AMissingDockerfileIsReportedAsDockerDoes()
    {
        var error = Assert.Throws<Berth.Cli.CliException>(() => LocalContext.Resolve(_root, null));
        Assert.Equal($"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {_root}/Dockerfile: no such file or directory",
            error.Message);
    }

    [Fact]
    public async Task Compose_names_the_dockerfile_relative_to_the_context_and_its_ignored_files_stay_out()
    {
        Write("app/docker/Web.Dockerfile", "FROM busybox\n");
        Write("app/.dockerignore", "docker\nsecret.txt\n");
        Write("app/secret.txt");
        Write("app/main.sh");

        var (write, dockerfile) = ContextSource.PrepareDirectory(Path.Join(_root, "app"), "docker/Web.Dockerfile", null);
        var names = (await ReadTarAsync(write)).Select(e => e.Name).ToList();

        Assert.Equal("docker/Web.Dockerfile", dockerfile);
        Assert.Equal([".dockerignore", "docker/Web.Dockerfile", "main.sh"], names);
    }

    [Fact]
    public async Task An_inline_dockerfile_travels_under_a_hidden_name_that_the_sent_dockerignore_lists()
    {
        Write("main.sh");

        var (write, dockerfile) = ContextSource.PrepareDirectory(_root, null, "FROM scratch\n");
        var entries = await ReadTarAsync(write);

        Assert.StartsWith(".dockerfile.", dockerfile);
        Assert.Equal("FROM scratch\n", Content(entries.Single(e => e.Name == dockerfile)));
        Assert.Contains(dockerfile, Content(entries.Single(e => e.Name == ".dockerignore")));
    }
}

using System.Formats.Tar;
using Berth.Compose.Execution;

namespace Berth.Tests.Compose.Execution;

public sealed class BuildContextTarTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-compose-ctx-").FullName;

    public BuildContextTarTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        Directory.CreateDirectory(Path.Combine(_root, "node_modules/x"));
        File.WriteAllText(Path.Combine(_root, "Dockerfile"), "FROM busybox\n");
        File.WriteAllText(Path.Combine(_root, "src/app.sh"), "echo hi\n");
        File.WriteAllText(Path.Combine(_root, "node_modules/x/index.js"), "x");
        File.WriteAllText(Path.Combine(_root, "notes.md"), "n");
        File.WriteAllText(Path.Combine(_root, ".dockerignore"), "node_modules\n*.md\nDockerfile\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_dockerignore_is_honoured_but_the_dockerfile_always_sent()
    {
        var context = new BuildContextTar(_root, null, null);
        Assert.Equal("Dockerfile", context.Dockerfile);
        Assert.Equal([".dockerignore", "Dockerfile", "src", "src/app.sh"], context.EntryNames());
    }

    [Fact]
    public async Task The_tar_holds_the_files_with_owner_root()
    {
        var context = new BuildContextTar(_root, null, null);
        using var buffer = new MemoryStream();
        await context.WriteAsync(buffer, CancellationToken.None);
        buffer.Position = 0;
        using var reader = new TarReader(buffer);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
            Assert.Equal(0, entry.Uid);
            if (entry.Name == "src/app.sh")
                Assert.Equal("echo hi\n", new StreamReader(entry.DataStream!).ReadToEnd());
        }
        Assert.Equal([".dockerignore", "Dockerfile", "src/", "src/app.sh"], names);
    }

    [Fact]
    public void An_inline_dockerfile_is_added_under_a_hidden_name_that_the_ignore_file_lists()
    {
        var context = new BuildContextTar(_root, null, "FROM scratch\n");
        Assert.StartsWith(".dockerfile.", context.Dockerfile);
        Assert.Contains(context.Dockerfile, context.EntryNames());
    }
}

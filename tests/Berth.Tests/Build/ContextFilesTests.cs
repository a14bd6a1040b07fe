using Berth.Build.Context;
using Berth.Oci.Errors;

namespace Berth.Tests.Build;

public sealed class ContextFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-context-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("berth-outside-").FullName;

    public ContextFilesTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src/lib"));
        File.WriteAllText(Path.Combine(_root, "src/main.go"), "m");
        File.WriteAllText(Path.Combine(_root, "src/lib/util.go"), "u");
        File.WriteAllText(Path.Combine(_root, "README.md"), "r");
        File.WriteAllText(Path.Combine(_outside, "secret"), "s");
        // A link that leads out of the context on the host: inside the context it means the context's own root.
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../../..");
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public void Paths_resolve_inside_the_context_whatever_their_dots_and_links_say()
    {
        var files = new ContextFiles(_root);

        Assert.Equal(Path.Combine(_root, "src/main.go"), files.Locate("/src/../src/./main.go"));
        Assert.Equal(Path.Combine(_root, "README.md"), files.Locate("../../README.md"));
        Assert.Equal(Path.Combine(_root, "README.md"), files.Locate("up/README.md"));
        Assert.Equal(Path.Combine(_root, _outside.TrimStart('/'), "secret"), files.Locate("escape/secret"));
        Assert.Throws<BerthException>(() => files.Resolve("escape/secret", "COPY"));
    }

    [Fact]
    public void Wildcards_match_as_Go_filepath_Match_does()
    {
        var files = new ContextFiles(_root);

        Assert.Equal(["main.go"], files.Resolve("src/*.go", "COPY").Select(s => s.Name));
        Assert.Equal(["README.md"], files.Resolve("[A-Z]*.m?", "COPY").Select(s => s.Name));
        Assert.True(Assert.Single(files.Resolve("src/l*", "COPY")).IsDirectory);
        var none = Assert.Throws<BerthException>(() => files.Resolve("*.txt", "COPY"));
        Assert.Equal("COPY failed: no source files were specified", none.Message);
        var missing = Assert.Throws<BerthException>(() => files.Resolve("nothere", "ADD"));
        Assert.Equal("ADD failed: file not found in build context or excluded by .dockerignore: stat nothere: file does not exist", missing.Message);
    }

    [Theory]
    [InlineData("*.go", "main.go", true)]
    [InlineData("*.go", "src/main.go", false)]
    [InlineData("src/?ain.go", "src/main.go", true)]
    [InlineData("[^a-l]ain.go", "main.go", true)]
    [InlineData("[^a-m]ain.go", "main.go", false)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    public void Go_path_patterns(string pattern, string name, bool matches) => Assert.Equal(matches, GoPathMatch.Matches(pattern, name));
}

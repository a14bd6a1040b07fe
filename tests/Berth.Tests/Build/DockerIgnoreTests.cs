using Berth.Api.BuildContext;

namespace Berth.Tests.Build;

public class DockerIgnoreTests
{
    private static bool Excluded(string dockerignore, string path) => DockerIgnore.Parse(dockerignore).IsExcluded(path);

    [Fact]
    public void ReadsPatternsAsDockersClientDoes()
    {
        var ignore = DockerIgnore.Parse(
            "\uFEFF# comment\r\n\r\n  *.log  \n./build/\n/abs/path\na//b/../c\n!  /keep.log\n  # not a comment\n!./x/\n");

        Assert.Equal(["*.log", "build", "abs/path", "a/c", "!keep.log", "# not a comment", "!x"], ignore.Patterns);
        Assert.True(ignore.HasExceptions);
    }

    [Fact]
    public void EmptyExcludesNothing()
    {
        Assert.False(DockerIgnore.Empty.IsExcluded("anything"));
        Assert.Empty(DockerIgnore.Empty.Patterns);
        Assert.False(DockerIgnore.Empty.HasExceptions);
        Assert.Empty(DockerIgnore.Parse("# only a comment\n\n").Patterns);
        Assert.False(DockerIgnore.Parse("*.log").HasExceptions);
    }

    [Theory]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "dir/a.log", false)]
    [InlineData("*/*.log", "dir/a.log", true)]
    [InlineData("*", ".git", true)]
    [InlineData(".*", ".git", true)]
    [InlineData(".*", "git", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[a-c].txt", "d.txt", false)]
    [InlineData("[^a-c].txt", "d.txt", true)]
    [InlineData("[^a-c].txt", "a.txt", false)]
    [InlineData("[!a].txt", "!.txt", true)]
    [InlineData("[\\]x].txt", "].txt", true)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("c++", "c++", true)]
    [InlineData("(x)|{y}$", "(x)|{y}$", true)]
    [InlineData("file", "file2", false)]
    [InlineData("./file", "file", true)]
    [InlineData("/file", "file", true)]
    public void MatchesLikeFilepathMatch(string pattern, string path, bool excluded) => Assert.Equal(excluded, Excluded(pattern, path));

    [Theory]
    [InlineData("**", "a/b/c", true)]
    [InlineData("**/*.log", "a.log", true)]
    [InlineData("**/*.log", "d/e/a.log", true)]
    [InlineData("**/*.log", "d/e/a.txt", false)]
    [InlineData("a/**", "a/b", true)]
    [InlineData("a/**", "a/b/c", true)]
    [InlineData("a/**", "b/a", false)]
    [InlineData("a/**/z", "a/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    [InlineData("a/**/z", "a/b/c/y", false)]
    [InlineData("**/node_modules", "web/app/node_modules/x/index.js", true)]
    public void DoubleStarSpansDirectories(string pattern, string path, bool excluded) => Assert.Equal(excluded, Excluded(pattern, path));

    [Theory]
    [InlineData("build", "build/x/y.o", true)]
    [InlineData("docs/*", "docs/a/b.md", true)]
    [InlineData("docs/*", "docs", false)]
    [InlineData("*/temp", "src/temp/cache/file", true)]
    [InlineData("src", "srcs/file", false)]
    public void APatternMatchingAParentDirectoryMatchesWhatIsInside(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, Excluded(pattern, path));

    [Theory]
    [InlineData("*.md\n!README.md", "README.md", false)]
    [InlineData("*.md\n!README.md", "CHANGES.md", true)]
    [InlineData("docs\n!docs/keep.md", "docs/keep.md", false)]
    [InlineData("docs\n!docs/keep.md", "docs/other.md", true)]
    [InlineData("!a.txt\n*.txt", "a.txt", true)]
    [InlineData("*.txt\n!a.txt\na*", "a.txt", true)]
    [InlineData("**/x\n!**/x/keep", "p/q/x/keep", false)]
    [InlineData("**/x\n!**/x/keep", "p/q/x/other", true)]
    [InlineData("a\n!a/b\na/b/c", "a/b/c/d", true)]
    [InlineData("a\n!a/b\na/b/c", "a/b/d", false)]
    public void TheLastMatchingPatternDecides(string dockerignore, string path, bool excluded) =>
        Assert.Equal(excluded, Excluded(dockerignore, path));

    [Theory]
    [InlineData("*", "Dockerfile", true)]
    [InlineData("*", ".dockerignore", true)]
    [InlineData("Dockerfile\n.dockerignore", "Dockerfile", true)]
    [InlineData("Dockerfile\n.dockerignore", ".dockerignore", true)]
    [InlineData("*\n!Dockerfile", "Dockerfile", false)]
    [InlineData("*\n!Dockerfile", ".dockerignore", true)]
    [InlineData("Dockerfile", "sub/Dockerfile", false)]
    public void AppliesToTheDockerfileAndItselfLikeAnyFile(string dockerignore, string path, bool excluded) =>
        Assert.Equal(excluded, Excluded(dockerignore, path));

    [Fact]
    public void AcceptsATrailingSlashOnThePath() => Assert.True(Excluded("a/b", "a/b/"));

    [Theory]
    [InlineData("[", "syntax error in pattern")]
    [InlineData("[]a]", "syntax error in pattern")]
    [InlineData("[a-]", "syntax error in pattern")]
    [InlineData("[z-a]", "syntax error in pattern")]
    [InlineData("a\\", "syntax error in pattern")]
    [InlineData("ok\n!", "illegal exclusion pattern: \"!\"")]
    public void RejectsMalformedPatterns(string dockerignore, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => DockerIgnore.Parse(dockerignore)).Message);
}

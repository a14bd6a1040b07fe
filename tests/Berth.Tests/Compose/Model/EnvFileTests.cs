namespace Berth.Tests.Compose.Model;

public sealed class EnvFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-envfile-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Berth.Compose.Model.ServiceConfig Web(string body) =>
        RawProject.Read("""{"services": {"web": """ + body + "}}", workingDirectory: _root).Services["web"];

    [Fact]
    public void Env_files_are_read_in_order_and_environment_wins()
    {
        File.WriteAllText(Path.Combine(_root, "a.env"), "A=1\nB=from-a\n# comment\n");
        File.WriteAllText(Path.Combine(_root, "b.env"), "B=from-b\nC=from-b\n");
        var web = Web("""{"image": "x", "env_file": ["a.env", "./b.env"], "environment": {"C": "explicit"}}""");
        Assert.Equal("1", web.Environment["A"]);
        Assert.Equal("from-b", web.Environment["B"]);
        Assert.Equal("explicit", web.Environment["C"]);
    }

    [Fact]
    public void A_single_string_env_file_is_accepted()
    {
        File.WriteAllText(Path.Combine(_root, ".env.web"), "X=y\n");
        Assert.Equal("y", Web("""{"image": "x", "env_file": ".env.web"}""").Environment["X"]);
    }

    [Fact]
    public void A_missing_required_env_file_is_an_error()
    {
        var missing = Path.Combine(_root, "nope.env");
        var error = Assert.Throws<Berth.Compose.ComposeException>(() => Web("""{"image": "x", "env_file": "nope.env"}"""));
        Assert.Equal($"env file {missing} not found: stat {missing}: no such file or directory", error.Message);
    }

    [Fact]
    public void A_missing_optional_env_file_is_skipped()
    {
        File.WriteAllText(Path.Combine(_root, "there.env"), "T=1\n");
        var web = Web("""
            {"image": "x", "env_file": [{"path": "nope.env", "required": "false"}, {"path": "there.env"}]}
            """);
        Assert.Equal("1", web.Environment["T"]);
        Assert.Single(web.Environment);
    }
}

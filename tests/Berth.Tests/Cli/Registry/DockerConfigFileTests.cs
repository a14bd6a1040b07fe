using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Registry;

namespace Berth.Tests.Cli.Registry;

public sealed class DockerConfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-dockercfg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ConfigPath => Path.Combine(_dir, "config.json");

    [Fact]
    public void Reads_docker_auths_and_keeps_unknown_keys_when_writing()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:pa:ss"));
        File.WriteAllText(ConfigPath, "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth + "\"}},\"psFormat\":\"{{.ID}}\",\"proxies\":{\"default\":{}}}");
        var config = DockerConfigFile.Load(_dir);

        Assert.Equal(new Credentials("127.0.0.1:5000", "ann", "pa:ss"), config.GetAuth("127.0.0.1:5000"));
        Assert.Null(config.GetAuth("other:5000"));

        config.SetAuth(new Credentials("reg.example:443", "bob", "pw"));
        config.Save();
        var saved = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        Assert.Equal("{{.ID}}", (string?)saved["psFormat"]);
        Assert.NotNull(saved["proxies"]);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:pw")), (string?)saved["auths"]!["reg.example:443"]!["auth"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
    }

    [Fact]
    public void An_entry_keyed_by_url_serves_its_host()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:pw"));
        File.WriteAllText(ConfigPath, "{\"auths\":{\"https://127.0.0.1:5000/v2/\":{\"auth\":\"" + auth + "\"}}}");
        var found = DockerConfigFile.Load(_dir).GetAuthByHostname("127.0.0.1:5000");
        Assert.Equal(new Credentials("127.0.0.1:5000", "ann", "pw"), found);
    }

    [Fact]
    public void Config_directory_follows_flag_then_DOCKER_CONFIG_then_home()
    {
        Assert.Equal("/flag", DockerConfigFile.DirectoryFor("/flag", _ => "/env"));
        Assert.Equal("/env", DockerConfigFile.DirectoryFor(null, name => name == "DOCKER_CONFIG" ? "/env" : null));
        Assert.Equal("/home/ann/.docker", DockerConfigFile.DirectoryFor(null, name => name == "HOME" ? "/home/ann" : null));
    }

    [Fact]
    public void A_missing_file_is_empty_and_a_broken_one_is_an_error()
    {
        Assert.Null(DockerConfigFile.Load(_dir).GetAuth("x"));
        File.WriteAllText(ConfigPath, "{nope");
        var error = Assert.Throws<Berth.Cli.CliException>(() => DockerConfigFile.Load(_dir));
        Assert.Contains(ConfigPath, error.Message);
    }

    [Theory]
    [InlineData("busybox", RegistryServer.DockerHub)]
    [InlineData("ann/app:1", RegistryServer.DockerHub)]
    [InlineData("docker.io/library/busybox", RegistryServer.DockerHub)]
    [InlineData("127.0.0.1:5000/ns/app:1", "127.0.0.1:5000")]
    [InlineData("localhost/app", "localhost")]
    [InlineData("reg.example/app@sha256:abc", "reg.example")]
    public void Images_name_their_registry_as_docker_does(string image, string server) =>
        Assert.Equal(server, RegistryServer.ForImage(image));

    [Fact]
    public void Login_servers_normalise_docker_hub_only()
    {
        Assert.Equal(RegistryServer.DockerHub, RegistryServer.ForLogin(null));
        Assert.Equal(RegistryServer.DockerHub, RegistryServer.ForLogin("docker.io"));
        Assert.Equal(RegistryServer.DockerHub, RegistryServer.ForLogin("https://index.docker.io/v1/"));
        Assert.Equal("127.0.0.1:5000", RegistryServer.ForLogin("127.0.0.1:5000"));
        Assert.Equal("127.0.0.1:5000", RegistryServer.Hostname("http://127.0.0.1:5000/v2/"));
    }

    [Fact]
    public void The_auth_header_is_base64url_json_the_daemon_decodes()
    {
        string header = RegistryAuthHeader.Encode(new Credentials("127.0.0.1:5000", "ann", "p?>w"));
        Assert.DoesNotContain('+', header);
        Assert.DoesNotContain('/', header);
        var decoded = Berth.Engine.Distribution.Auth.RegistryCredentials.FromRegistryAuthHeader(header, out string? server);
        Assert.Equal("ann", decoded.Username);
        Assert.Equal("p?>w", decoded.Password);
        Assert.Equal("127.0.0.1:5000", server);
        Assert.True(Berth.Engine.Distribution.Auth.RegistryCredentials.FromRegistryAuthHeader(RegistryAuthHeader.Encode(null)).IsAnonymous);
    }
}

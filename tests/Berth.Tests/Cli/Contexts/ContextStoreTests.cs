using System.Security.Cryptography;
using System.Text;
using Berth.Client.Contexts;

namespace Berth.Tests.Cli.Contexts;

/// <summary>The docker CLI's context store layout, read and written as docker does, in a temporary config directory.</summary>
public sealed class ContextStoreTests : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("berth-contexts-").FullName;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public void Directories_are_named_by_the_sha256_of_the_context_name()
    {
        var store = new ContextStore(_config);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("foo")));
        Assert.Equal("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", digest);
        Assert.Equal(Path.Combine(_config, "contexts", "meta", digest), store.MetadataDirectory("foo"));
        Assert.Equal(Path.Combine(_config, "contexts", "tls", digest), store.TlsDirectory("foo"));
    }

    [Fact]
    public void Saved_metadata_is_docker_s_meta_json()
    {
        var store = new ContextStore(_config);
        store.Save(new DockerContext("foo", "my desc", "tcp://127.0.0.1:2999", false));
        Assert.Equal("""{"Name":"foo","Metadata":{"Description":"my desc"},"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:2999","SkipTLSVerify":false}}}""",
            File.ReadAllText(Path.Combine(store.MetadataDirectory("foo"), "meta.json")));
        store.Save(new DockerContext("bare", "", "unix:///s", true));
        Assert.Equal("""{"Name":"bare","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///s","SkipTLSVerify":true}}}""",
            File.ReadAllText(Path.Combine(store.MetadataDirectory("bare"), "meta.json")));
    }

    [Fact]
    public void Contexts_written_by_docker_are_read_and_listed_by_name()
    {
        var store = new ContextStore(_config);
        foreach (var (name, json) in new[]
                 {
                     ("zeta", """{"Name":"zeta","Metadata":null,"Endpoints":{"docker":{"Host":"unix:///z.sock","SkipTLSVerify":false}}}"""),
                     ("alpha", """{"Name":"alpha","Metadata":{"Description":"a"},"Endpoints":{"docker":{"Host":"tcp://h:1","SkipTLSVerify":true}}}"""),
                 })
        {
            Directory.CreateDirectory(store.MetadataDirectory(name));
            File.WriteAllText(Path.Combine(store.MetadataDirectory(name), "meta.json"), json);
        }
        Assert.Equal(["alpha", "zeta"], store.List().Select(c => c.Name));
        Assert.Equal(new DockerContext("alpha", "a", "tcp://h:1", true), store.Get("alpha"));
        Assert.Equal(new DockerContext("zeta", "", "unix:///z.sock", false), store.Get("zeta"));
    }

    [Fact]
    public void A_missing_context_is_reported_with_docker_s_words()
    {
        var store = new ContextStore(_config);
        var error = Assert.Throws<ContextStoreException>(() => store.Get("nope"));
        Assert.True(error.IsNotFound);
        Assert.Equal($"context \"nope\": context not found: open {_config}/contexts/meta/"
            + "ca3704aa0b06f5954c79ee837faa152d84d6b2d42838f0637a15eda8337dbdce/meta.json: no such file or directory", error.Message);
    }

    [Theory]
    [InlineData("default", "\"default\" is a reserved context name")]
    [InlineData("bad name", "context name \"bad name\" is invalid, names are validated against regexp \"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$\"")]
    [InlineData("x", "context name \"x\" is invalid, names are validated against regexp \"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$\"")]
    public void New_names_follow_docker_s_rule(string name, string message)
        => Assert.Equal(message, Assert.Throws<ContextStoreException>(() => ContextStore.ValidateNewName(name)).Message);

    [Fact]
    public void Tls_files_are_private_and_choose_tls_for_the_endpoint()
    {
        var store = new ContextStore(_config);
        var context = new DockerContext("secure", "", "tcp://127.0.0.1:2376", false);
        store.Save(context);
        Assert.Null(store.TlsFor(context));

        store.SaveTls("secure", new Dictionary<string, byte[]> { ["ca.pem"] = [1], ["cert.pem"] = [2], ["key.pem"] = [3] });
        var directory = Path.Combine(store.TlsDirectory("secure"), "docker");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "key.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.TlsDirectory("secure")));
        Assert.Equal(["ca.pem", "cert.pem", "key.pem"], store.TlsFiles("secure"));
        var tls = store.TlsFor(context);
        Assert.NotNull(tls);
        Assert.True(tls.Verify);
        Assert.Equal(Path.Combine(directory, "ca.pem"), tls.CaCertFile);
        Assert.Equal(Path.Combine(directory, "key.pem"), tls.KeyFile);

        // Skipping verification alone also means TLS, as docker's endpoint config decides it.
        var skip = new DockerContext("skip", "", "tcp://127.0.0.1:2376", true);
        store.Save(skip);
        Assert.False(store.TlsFor(skip)!.Verify);

        store.SaveTls("secure", new Dictionary<string, byte[]>());
        Assert.Empty(store.TlsFiles("secure"));
        Assert.False(Directory.Exists(store.TlsDirectory("secure")));
    }

    [Fact]
    public void Remove_deletes_metadata_and_tls()
    {
        var store = new ContextStore(_config);
        store.Save(new DockerContext("gone", "", "tcp://h:1", false));
        store.SaveTls("gone", new Dictionary<string, byte[]> { ["ca.pem"] = [1] });
        store.Remove("gone");
        Assert.False(store.Exists("gone"));
        Assert.False(Directory.Exists(store.MetadataDirectory("gone")));
        Assert.False(Directory.Exists(store.TlsDirectory("gone")));
    }
}

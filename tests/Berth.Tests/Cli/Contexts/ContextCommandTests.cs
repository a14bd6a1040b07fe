using System.Text;
using Berth.Cli;
using Berth.Tests.Client;

namespace Berth.Tests.Cli.Contexts;

/// <summary>
/// The context commands and a command run through a context, in-process, against a temporary DOCKER_CONFIG; the
/// expected texts are what docker CLI 28 printed for the same steps.
/// </summary>
public sealed class ContextCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-contextcmd-").FullName;
    private readonly Dictionary<string, string> _environment;

    public ContextCommandTests() => _environment = new() { ["DOCKER_CONFIG"] = Path.Join(_dir, "config"), ["HOME"] = _dir };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        int code = await CliApp.RunAsync(args, Stream.Null, stdout, stderr, name => _environment.GetValueOrDefault(name), CancellationToken.None);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    [Fact]
    public async Task Create_use_ls_show_and_rm_print_what_docker_prints()
    {
        Assert.Equal((0, "foo\n", "Successfully created context \"foo\"\n"),
            await RunAsync("context", "create", "foo", "--docker", "host=tcp://127.0.0.1:2999", "--description", "my desc"));
        Assert.Equal((1, "", "context \"foo\" already exists\n"), await RunAsync("context", "create", "foo", "--docker", "host=tcp://1.2.3.4:5"));

        Assert.Equal((0, "foo\n", "Current context is now \"foo\"\n"), await RunAsync("context", "use", "foo"));
        Assert.Contains("\"currentContext\": \"foo\"", File.ReadAllText(Path.Join(_dir, "config", "config.json")));
        Assert.Equal((0, "foo\n", ""), await RunAsync("context", "show"));
        Assert.Equal((0, """
            NAME      DESCRIPTION                               DOCKER ENDPOINT                ERROR
            default   Current DOCKER_HOST based configuration   unix:///run/berth/berth.sock   
            foo *     my desc                                   tcp://127.0.0.1:2999           

            """, ""), await RunAsync("context", "ls"));
        Assert.Equal((0, """
            {"Current":false,"Description":"Current DOCKER_HOST based configuration","DockerEndpoint":"unix:///run/berth/berth.sock","Error":"","Name":"default"}
            {"Current":true,"Description":"my desc","DockerEndpoint":"tcp://127.0.0.1:2999","Error":"","Name":"foo"}

            """, ""), await RunAsync("context", "ls", "--format", "json"));

        Assert.Equal((1, "", "context \"foo\" is in use, set -f flag to force remove\n"), await RunAsync("context", "rm", "foo"));
        Assert.Equal((1, "", "context \"default\" cannot be removed\n"), await RunAsync("context", "rm", "default"));
        Assert.Equal((0, "foo\n", ""), await RunAsync("context", "rm", "-f", "foo"));
        Assert.DoesNotContain("currentContext", File.ReadAllText(Path.Join(_dir, "config", "config.json")));
        Assert.Equal((0, "default\n", ""), await RunAsync("context", "show"));
    }

    [Fact]
    public async Task DOCKER_HOST_overrides_the_current_context_with_docker_s_warnings()
    {
        await RunAsync("context", "create", "foo", "--docker", "host=tcp://127.0.0.1:2999");
        _environment["DOCKER_HOST"] = "unix:///tmp/x.sock";
        var use = await RunAsync("context", "use", "foo");
        Assert.Equal("Current context is now \"foo\"\nWarning: DOCKER_HOST environment variable overrides the active context. "
            + "To use \"foo\", either set the global --context flag, or unset DOCKER_HOST environment variable.\n", use.Stderr);
        Assert.Equal((0, "default\n", ""), await RunAsync("context", "show"));
        Assert.Equal((0, "foo\n", ""), await RunAsync("--context", "foo", "context", "show"));
        var ls = await RunAsync("context", "ls", "-q");
        Assert.Equal("default\nfoo\n", ls.Stdout);
        Assert.Equal("Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the global "
            + "--context flag, or unset DOCKER_HOST environment variable.\n", ls.Stderr);
    }

    [Fact]
    public async Task Unknown_and_conflicting_contexts_fail_as_docker_fails()
    {
        var digest = "ca3704aa0b06f5954c79ee837faa152d84d6b2d42838f0637a15eda8337dbdce";
        var notFound = $"context \"nope\": context not found: open {_dir}/config/contexts/meta/{digest}/meta.json: no such file or directory\n";
        Assert.Equal((1, "", notFound), await RunAsync("context", "use", "nope"));
        Assert.Equal((1, "", "Failed to initialize: unable to resolve docker endpoint: " + notFound), await RunAsync("--context", "nope", "ps"));
        Assert.Equal((1, "[]\n", notFound), await RunAsync("context", "inspect", "nope"));
        Assert.Equal((1, "", "conflicting options: cannot specify both --host and --context\n"),
            await RunAsync("-c", "foo", "-H", "unix:///x", "ps"));
        Assert.Equal((1, "", "\"default\" is a reserved context name\n"), await RunAsync("context", "create", "default"));
        Assert.Equal((1, "", "unable to create docker endpoint config: unrecognized config key: bogus\n"),
            await RunAsync("context", "create", "q3", "--docker", "host=tcp://127.0.0.1:4444,bogus=1"));
    }

    [Fact]
    public async Task Inspect_prints_the_stored_context_with_its_tls_material_and_storage()
    {
        var certs = Path.Join(_dir, "certs");
        Directory.CreateDirectory(certs);
        foreach (var file in new[] { "ca.pem", "cert.pem", "key.pem" })
            File.WriteAllText(Path.Join(certs, file), file);
        await RunAsync("context", "create", "t1", "--docker", $"host=tcp://127.0.0.1:4444,ca={certs}/ca.pem,cert={certs}/cert.pem,key={certs}/key.pem");
        var id = "628b49d96dcde97a430dd4f597705899e09a968f793491e4b704cae33a40dc02";
        var (code, stdout, _) = await RunAsync("context", "inspect", "t1");
        Assert.Equal(0, code);
        Assert.Equal($$"""
            [
                {
                    "Name": "t1",
                    "Metadata": {},
                    "Endpoints": {
                        "docker": {
                            "Host": "tcp://127.0.0.1:4444",
                            "SkipTLSVerify": false
                        }
                    },
                    "TLSMaterial": {
                        "docker": [
                            "ca.pem",
                            "cert.pem",
                            "key.pem"
                        ]
                    },
                    "Storage": {
                        "MetadataPath": "{{_dir}}/config/contexts/meta/{{id}}",
                        "TLSPath": "{{_dir}}/config/contexts/tls/{{id}}"
                    }
                }
            ]

            """, stdout);
        Assert.Contains("\"MetadataPath\": \"\\u003cIN MEMORY\\u003e\"", (await RunAsync("context", "inspect", "default")).Stdout);

        // update --docker replaces the endpoint, TLS files included, as docker's does.
        await RunAsync("context", "update", "t1", "--docker", "host=tcp://127.0.0.1:5555");
        Assert.Equal("{} tcp://127.0.0.1:5555\n", (await RunAsync("context", "inspect", "t1", "-f", "{{json .TLSMaterial}} {{.Endpoints.docker.Host}}")).Stdout);
    }

    [Fact]
    public async Task Export_and_import_round_trip_a_context()
    {
        var ca = Path.Join(_dir, "ca.pem");
        File.WriteAllText(ca, "ca");
        await RunAsync("context", "create", "src", "--docker", $"host=tcp://127.0.0.1:4444,skip-tls-verify=true,ca={ca}", "--description", "d");
        var archive = Path.Join(_dir, "src.tar");
        Assert.Equal((0, "", $"Written file \"{archive}\"\n"), await RunAsync("context", "export", "src", archive));
        Assert.Equal((0, "copy\n", "Successfully imported context \"copy\"\n"), await RunAsync("context", "import", "copy", archive));
        Assert.Equal("copy d tcp://127.0.0.1:4444 true {\"docker\":[\"ca.pem\"]}\n", (await RunAsync("context", "inspect", "copy", "-f",
            "{{.Name}} {{.Metadata.Description}} {{.Endpoints.docker.Host}} {{.Endpoints.docker.SkipTLSVerify}} {{json .TLSMaterial}}")).Stdout);
    }

    [Fact]
    public async Task Commands_connect_to_the_daemon_of_the_current_context()
    {
        var requests = new List<string>();
        await using var daemon = new FakeDaemon(async (head, stream, _) =>
        {
            lock (requests)
                requests.Add(head.Split("\r\n")[0]);
            if (head.StartsWith("HEAD", StringComparison.Ordinal))
                await FakeDaemon.RespondAsync(stream, 200, "");
            else
                await FakeDaemon.RespondAsync(stream, 200, """{"CachesDeleted":["abc","def"],"SpaceReclaimed":123456}""");
        });
        await RunAsync("context", "create", "fake", "--docker", "host=unix://" + daemon.SocketPath);
        await RunAsync("context", "use", "fake");

        var prune = await RunAsync("builder", "prune", "-f", "-a", "--filter", "until=24h", "--keep-storage", "1GB");
        Assert.Equal("", prune.Stderr);
        Assert.Equal("Deleted build cache objects:\nabc\ndef\n\nTotal reclaimed space: 123.5kB\n", prune.Stdout);
        Assert.Equal(0, prune.Code);
        Assert.Contains(requests, r => r.StartsWith("POST /v", StringComparison.Ordinal)
            && r.EndsWith("/build/prune?all=1&filters=%7B%22until%22%3A%7B%2224h%22%3Atrue%7D%7D&keep-storage=1073741824 HTTP/1.1", StringComparison.Ordinal));
    }
}

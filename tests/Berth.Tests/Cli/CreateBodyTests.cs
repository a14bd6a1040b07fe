using System.Text.Json.Nodes;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;

namespace Berth.Tests.Cli;

/// <summary>
/// run/create flags must produce the create body the docker CLI 28 sends. The fixture was captured once from
/// `docker create ...` / `docker run ...` against a recording fake daemon (API 1.41), one case per line.
/// </summary>
public sealed class CreateBodyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-createbody-").FullName;

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < LoadFixture().Count; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FlagsProduceDockersCreateBody(int index)
    {
        var fixture = LoadFixture()[index]!;
        var command = fixture["command"]!.GetValue<string>();
        var envFile = Path.Combine(_directory, "envfile");
        var labelFile = Path.Combine(_directory, "labelfile");
        var cidFile = Path.Combine(_directory, "cid");
        File.WriteAllText(envFile, "E1=one\n# comment\nE2\n\nE3=three four\n");
        File.WriteAllText(labelFile, "L1=one\nL2\n");
        string Substitute(string s) => s.Replace("{envfile}", envFile).Replace("{labelfile}", labelFile).Replace("{cidfile}", cidFile);
        var args = fixture["args"]!.AsArray().Select(a => Substitute(a!.GetValue<string>())).ToList();

        var flags = new FlagSet(command == "run" ? ContainerFlags.Run : ContainerFlags.Create, interspersed: false).Parse(args);
        var environment = new Dictionary<string, string> { ["E2"] = "fromenv", ["B"] = "fromenvB" };
        var request = CreateRequestBuilder.Build(flags, name => environment.GetValueOrDefault(name), detach: flags.Bool("detach"),
            stdoutIsTerminal: false, () => null);

        var expected = SortBinds(JsonNode.Parse(Substitute(fixture["body"]!.ToJsonString())));
        var actual = SortBinds(JsonNode.Parse(Berth.Client.Json.Serialize(request.Body)));
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"{string.Join(' ', args)}\nexpected {expected!.ToJsonString()}\nactual   {actual!.ToJsonString()}");

        var query = fixture["query"]!.GetValue<string>();
        Assert.Equal(query.Contains("name=") ? Uri.UnescapeDataString(query.Split("name=")[1].Split('&')[0]) : null, request.Name);
        Assert.Equal(query.Contains("platform=") ? Uri.UnescapeDataString(query.Split("platform=")[1].Split('&')[0]) : null, request.Platform);
    }

    [Fact]
    public void KeyOrderMatchesDockersForTheDefaultBody()
    {
        var fixture = LoadFixture()[0]!;
        var flags = new FlagSet(ContainerFlags.Create, interspersed: false).Parse(["busybox"]);
        var request = CreateRequestBuilder.Build(flags, _ => null, detach: false, stdoutIsTerminal: false, () => null);
        Assert.Equal(fixture["body"]!.ToJsonString(), request.Body.ToJsonString());
    }

    [Theory]
    [InlineData("-v :/x busybox", "invalid spec: :/x: empty section between colons")]
    [InlineData("-p 99999:80 busybox", "invalid hostPort: 99999")]
    [InlineData("--network bridge --network-alias x busybox", "network-scoped aliases are only supported for user-defined networks")]
    [InlineData("--no-healthcheck --health-cmd x busybox", "--no-healthcheck conflicts with --health-* options")]
    public void InvalidOptionsAreRefusedWithDockersMessage(string commandLine, string message)
    {
        var flags = new FlagSet(ContainerFlags.Create, interspersed: false).Parse(commandLine.Split(' '));
        var error = Assert.Throws<InvalidOptionException>(() =>
            CreateRequestBuilder.Build(flags, _ => null, detach: false, stdoutIsTerminal: false, () => null));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void EnvFileWithSpaceInNameIsRefused()
    {
        var file = Path.Combine(_directory, "bad.env");
        File.WriteAllText(file, "X=1\n  Y=2\nZ  =3\n");
        var flags = new FlagSet(ContainerFlags.Create, interspersed: false).Parse(["--env-file", file, "busybox"]);
        var error = Assert.Throws<InvalidOptionException>(() =>
            CreateRequestBuilder.Build(flags, _ => null, detach: false, stdoutIsTerminal: false, () => null));
        Assert.Equal($"invalid env file ({file}): variable 'Z  ' contains whitespaces", error.Message);
    }

    [Fact]
    public void DetachWithAttachConflicts()
    {
        var flags = new FlagSet(ContainerFlags.Run, interspersed: false).Parse(["-a", "stdout", "-d", "busybox"]);
        Assert.Throws<Berth.Cli.CliException>(() =>
            CreateRequestBuilder.Build(flags, _ => null, detach: true, stdoutIsTerminal: false, () => null));
    }

    [Fact]
    public void TtyOnATerminalSendsTheConsoleSize()
    {
        var flags = new FlagSet(ContainerFlags.Run, interspersed: false).Parse(["-it", "busybox"]);
        var request = CreateRequestBuilder.Build(flags, _ => null, detach: false, stdoutIsTerminal: true, () => (40, 120));
        Assert.Equal("[40,120]", request.Body["HostConfig"]!["ConsoleSize"]!.ToJsonString());
    }

    /// <summary>The docker CLI collects -v binds in a Go map, so their order on the wire is random.</summary>
    private static JsonNode? SortBinds(JsonNode? body)
    {
        if (body?["HostConfig"]?["Binds"] is JsonArray binds)
        {
            var sorted = binds.Select(b => b!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            body["HostConfig"]!["Binds"] = new JsonArray([.. sorted.Select(b => (JsonNode?)JsonValue.Create(b))]);
        }
        return body;
    }

    internal static JsonArray LoadFixture()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Berth.slnx")))
            directory = directory.Parent;
        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("repository root not found"),
            "tests", "Berth.Tests", "Cli", "Fixtures", "create-bodies.json");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

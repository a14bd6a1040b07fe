using System.Text.Json.Nodes;
using Berth.Engine.Runtime.Shim;

namespace Berth.IntegrationTests.Shim;

/// <summary>A bundle, a state directory and a shim for one test container; disposal kills and cleans up whatever is left.</summary>
public sealed class TestContainer : IAsyncDisposable
{
    private readonly ShimFixture _fixture;

    public string Id { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
    public string Dir { get; }
    public string Bundle => Path.Combine(Dir, "bundle");
    public string StateDir => Path.Combine(Dir, "state");
    public string LogPath => Path.Combine(Dir, $"{Id}-json.log");
    public string CgroupPath => $"/berth-test/{Id}";
    public ShimClient Client { get; }
    public int InitPid { get; private set; }

    public TestContainer(ShimFixture fixture)
    {
        _fixture = fixture;
        Dir = Path.Combine(fixture.Root, Id[..12]);
        Directory.CreateDirectory(Bundle);
        Client = new ShimClient(StateDir);
    }

    /// <summary>Writes config.json for <paramref name="args"/> (edited by <paramref name="edit"/>) and launches the shim.</summary>
    public async Task<int> CreateAsync(string[] args, bool tty = false, bool openStdin = false, bool stdinOnce = false,
        int height = 0, int width = 0, Action<JsonObject>? edit = null)
    {
        var spec = (JsonObject)_fixture.BaseSpec.DeepClone();
        spec["root"]!["path"] = _fixture.Rootfs;
        spec["process"]!["args"] = new JsonArray([.. args.Select(a => (JsonNode)JsonValue.Create(a))]);
        spec["process"]!["terminal"] = tty;
        spec["linux"]!["cgroupsPath"] = CgroupPath;
        edit?.Invoke(spec);
        await File.WriteAllTextAsync(Path.Combine(Bundle, "config.json"), spec.ToJsonString());

        var launch = new ShimLaunchSpec(Id, Bundle, StateDir, ShimFixture.Runc, _fixture.RuntimeRoot, LogPath,
            openStdin, stdinOnce, tty, height, width, CgroupPath);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        InitPid = await ShimLauncher.LaunchAsync(_fixture.ShimPath, launch, timeout.Token);
        return InitPid;
    }

    /// <summary>The shim's pid: as child subreaper it is the parent of the container's init.</summary>
    public int ShimPid()
    {
        foreach (var line in File.ReadLines($"/proc/{InitPid}/status"))
            if (line.StartsWith("PPid:", StringComparison.Ordinal)) return int.Parse(line[5..].Trim());
        throw new InvalidOperationException("no PPid");
    }

    public static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Reads the container's json-file log as (log, stream) pairs.</summary>
    public List<(string Log, string Stream)> LogEntries() =>
        File.ReadAllLines(LogPath).Select(line =>
        {
            var node = JsonNode.Parse(line)!;
            // Go's RFC3339Nano, as Docker writes it: the fraction's trailing zeros are dropped.
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z$", (string)node["time"]!);
            return ((string)node["log"]!, (string)node["stream"]!);
        }).ToList();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (await Client.StateAsync(Timeout(5)) is { } state)
            {
                if (state.Status != ShimState.Exited) await Client.KillAsync(9, Timeout(5));
                await Client.WaitAsync(Timeout(10));
                await Client.ShutdownAsync(Timeout(5));
            }
        }
        catch (Exception e) when (e is Berth.Oci.Errors.BerthException or OperationCanceledException)
        {
            try { ShimFixture.Run(ShimFixture.Runc, "--root", _fixture.RuntimeRoot, "delete", "--force", Id); } catch (InvalidOperationException) { }
        }
    }
}

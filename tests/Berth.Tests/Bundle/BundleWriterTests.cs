using System.Text.Json;
using Berth.Engine.Runtime.Bundle;

namespace Berth.Tests.Bundle;

public sealed class BundleWriterTests : IDisposable
{
    private readonly TempRootfs _rootfs = new();

    public void Dispose() => _rootfs.Dispose();

    [Fact]
    public async Task Config_json_uses_the_oci_names_and_leaves_nulls_out()
    {
        var spec = OciSpecBuilder.Build(BundleTestHost.Spec(_rootfs) with { Memory = 64L << 20, PidsLimit = 5 }, BundleTestHost.Vm);
        string bundle = Path.Combine(_rootfs.Path, "bundle");

        await BundleWriter.WriteAsync(bundle, spec, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "config.json")));
        var root = json.RootElement;
        Assert.Equal("1.0.2-dev", root.GetProperty("ociVersion").GetString());
        Assert.Equal(0, root.GetProperty("process").GetProperty("oomScoreAdj").GetInt32());
        Assert.Equal(0, root.GetProperty("process").GetProperty("user").GetProperty("additionalGids")[0].GetInt32());
        var linux = root.GetProperty("linux");
        Assert.Equal(67108864, linux.GetProperty("resources").GetProperty("memory").GetProperty("limit").GetInt64());
        Assert.False(linux.GetProperty("resources").GetProperty("memory").GetProperty("disableOOMKiller").GetBoolean());
        Assert.Equal(5, linux.GetProperty("resources").GetProperty("pids").GetProperty("limit").GetInt64());
        Assert.True(linux.TryGetProperty("cgroupsPath", out _));
        Assert.True(linux.TryGetProperty("maskedPaths", out _));
        Assert.True(linux.GetProperty("seccomp").TryGetProperty("defaultErrnoRet", out _));
        Assert.False(linux.TryGetProperty("devices", out _));
        Assert.False(linux.TryGetProperty("rootfsPropagation", out _));
        Assert.False(root.TryGetProperty("annotations", out _));
        Assert.Equal(JsonValueKind.Object, linux.GetProperty("resources").GetProperty("devices")[0].ValueKind);
        Assert.False(linux.GetProperty("resources").GetProperty("devices")[0].TryGetProperty("major", out _));
        Assert.Empty(Directory.GetFiles(bundle, ".tmp-*"));

        var read = await BundleWriter.ReadAsync(bundle, CancellationToken.None);
        Assert.Equal(spec.Process.Args, read.Process.Args);
        Assert.Equal(spec.Linux.Seccomp!.Syscalls!.Count, read.Linux.Seccomp!.Syscalls!.Count);
    }
}

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>The busybox rootfs tar every test daemon imports as busybox:latest, made once per test run.</summary>
public static class BusyboxImage
{
    private static readonly Lazy<Task<string>> Tar = new(async () =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"berth-busybox-{Environment.ProcessId}.tar");
        var result = await Commands.RunAsync(Path.Combine(BerthBinaries.RepoRoot, "scripts", "busybox-rootfs.sh"), [path]);
        result.EnsureSuccess();
        return path;
    });

    public static Task<string> TarPathAsync() => Tar.Value;
}

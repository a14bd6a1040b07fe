using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.IntegrationTests.Shim;

/// <summary>
/// Shared by the shim tests: the NativeAOT berth-shim (published once per run with `dotnet publish -c Release -r
/// linux-x64`, or taken from BERTH_SHIM_PATH), a read-only busybox rootfs, the base config.json from `runc spec`,
/// and a private runc root. Needs root and /usr/sbin/runc.
/// </summary>
public sealed class ShimFixture : IDisposable
{
    public const string Runc = "/usr/sbin/runc";

    public string Root { get; } = Directory.CreateTempSubdirectory("berth-shim-it-").FullName;
    public string ShimPath { get; }
    public string Rootfs => Path.Combine(Root, "rootfs");
    public string RuntimeRoot => Path.Combine(Root, "runc");
    public JsonObject BaseSpec { get; }

    public ShimFixture()
    {
        ShimPath = Environment.GetEnvironmentVariable("BERTH_SHIM_PATH") is { Length: > 0 } given ? given : PublishShim();
        BuildBusyboxRootfs(Rootfs);
        Run(Runc, "spec", "--bundle", Root);
        BaseSpec = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "config.json")))!;
    }

    private string PublishShim()
    {
        string repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "Berth.slnx")))
            repo = Path.GetDirectoryName(repo) ?? throw new InvalidOperationException("repository root (Berth.slnx) not found");
        string output = Path.Combine(Root, "shim");
        Run("dotnet", "publish", Path.Combine(repo, "src/Berth.Shim/Berth.Shim.csproj"), "-c", "Release", "-r", "linux-x64",
            "-o", output, "--nologo", "-v", "q");
        return Path.Combine(output, "berth-shim");
    }

    private static void BuildBusyboxRootfs(string rootfs)
    {
        string bin = Path.Combine(rootfs, "bin");
        Directory.CreateDirectory(bin);
        foreach (var dir in new[] { "proc", "dev", "sys", "tmp", "etc" }) Directory.CreateDirectory(Path.Combine(rootfs, dir));
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (var applet in Run("/bin/busybox", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (applet != "busybox") File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
    }

    internal static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {stderr.Result}{stdout}");
        return stdout;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition("shim")]
public sealed class ShimCollection : ICollectionFixture<ShimFixture>;

using System.Diagnostics;
using Berth.Engine.Runtime.Bundle;

namespace Berth.IntegrationTests.Bundle;

public sealed record RuncResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Builds a container's spec with <see cref="OciSpecBuilder"/>, writes it as a bundle and runs it to completion
/// with <c>runc run</c>, capturing its output; killed and deleted if it outlives the timeout.
/// </summary>
public static class RuncRunner
{
    public const string CgroupParent = "/berth-bundle-tests";

    public static ContainerRunSpec Spec(BusyboxRootfs rootfs, string script)
    {
        string id = "bt" + Guid.NewGuid().ToString("N")[..20];
        return new ContainerRunSpec
        {
            Id = id,
            RootfsPath = rootfs.Path,
            Args = ["/bin/sh", "-c", script],
            CgroupsPath = $"{CgroupParent}/{id}",
        };
    }

    public static async Task<RuncResult> RunAsync(ContainerRunSpec spec, TimeSpan? timeout = null)
    {
        var runtimeSpec = OciSpecBuilder.Build(spec, HostLimits.Read());
        string work = Directory.CreateTempSubdirectory("berth-bundle-").FullName;
        try
        {
            string bundle = Path.Combine(work, "bundle");
            string state = Path.Combine(work, "state");
            await BundleWriter.WriteAsync(bundle, runtimeSpec, CancellationToken.None);
            return await RunBundleAsync(bundle, state, spec.Id, timeout ?? TimeSpan.FromSeconds(30));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<RuncResult> RunBundleAsync(string bundle, string state, string id, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(RootFactAttribute.Runc)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "--root", state, "run", "--bundle", bundle, id }) start.ArgumentList.Add(arg);

        using var runc = Process.Start(start)!;
        runc.StandardInput.Close();
        var stdout = runc.StandardOutput.ReadToEndAsync();
        var stderr = runc.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await runc.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await RuncAsync(state, "kill", id, "KILL");
            runc.Kill();
            await runc.WaitForExitAsync();
            await RuncAsync(state, "delete", "--force", id);
            throw new TimeoutException($"container {id} did not finish within {timeout}: {await stderr}");
        }
        return new RuncResult(runc.ExitCode, await stdout, await stderr);
    }

    private static async Task RuncAsync(string state, params string[] args)
    {
        var start = new ProcessStartInfo(RootFactAttribute.Runc) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--root");
        start.ArgumentList.Add(state);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(cts.Token);
    }
}

using System.Text;
using Berth.Api;
using Berth.Build.Dockerfile;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Oci.Errors;

namespace Berth.Build.Execution;

public sealed partial class Builder
{
    /// <summary>
    /// RUN: the command in a container of the current image (its output streamed to the client), whose changes are
    /// committed as the step's layer. The ARGs in scope are in its environment, and in its cache key as Docker writes
    /// them ("|2 A=1 B=2 /bin/sh -c ..."), so a different build arg runs the step again.
    /// </summary>
    private async Task RunStepAsync(StageState stage, Instruction instruction, CancellationToken cancellationToken)
    {
        foreach (var flag in instruction.Flags)
            throw BerthException.Invalid(flag.Name is "mount" or "network" or "security"
                ? $"the --{flag.Name} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled"
                : $"Unknown flag: {flag.Name}");
        var command = CommandOf(stage, instruction);
        if (command.Count == 0) throw BerthException.Invalid("RUN requires at least one argument");
        var args = stage.Args
            .Where(a => a.Value is not null && stage.Config.Env?.Any(e => e.StartsWith(a.Key + "=", StringComparison.Ordinal)) != true)
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => $"{a.Key}={a.Value}")
            .ToList();
        List<string> described = args.Count == 0 ? [.. command] : [$"|{args.Count}", .. args, .. command];
        var cacheKey = CacheKey(stage, described);
        cacheKey.Entrypoint = null;
        if (TryCache(stage, cacheKey)) return;
        if (stage.Image is null) throw BerthException.Invalid($"The command '{string.Join(' ', command)}' cannot run: the stage has no filesystem yet (FROM scratch)");

        var proxies = _options.BuildArgs.Where(a => PredefinedArgs.Contains(a.Key) && a.Value is not null).Select(a => $"{a.Key}={a.Value}");
        var config = new ContainerConfig
        {
            Image = stage.Image.Id,
            Cmd = [.. command],
            Entrypoint = [""],
            Env = [.. stage.Config.Env ?? [], .. args, .. proxies],
            User = stage.Config.User ?? "",
            WorkingDir = stage.Config.WorkingDir ?? "",
            AttachStdout = true,
            AttachStderr = true,
            // The image's own health check would run against the step's command.
            Healthcheck = new HealthConfig { Test = ["NONE"] },
        };
        var container = await CreateRunContainerAsync(config, cancellationToken);
        bool keep = false, succeeded = false;
        try
        {
            _output.Arrow($"Running in {container.Id[..12]}");
            var output = await _backend.Containers.BeginAttachAsync(container.Id, stdin: false, stdout: true, stderr: true, cancellationToken);
            var exited = _backend.Containers.RegisterWait(container.Id, WaitCondition.NextExit);
            await _backend.Containers.StartAsync(container.Id, cancellationToken);
            await using (var stream = await output) await StreamOutputAsync(stream, cancellationToken);
            int exitCode = await exited.WaitAsync(cancellationToken);
            if (exitCode != 0)
            {
                keep = !_options.ForceRemoveIntermediate;
                throw new BuildStepFailedException($"The command '{string.Join(' ', command)}' returned a non-zero code: {exitCode}", exitCode);
            }

            var step = new BuildStep(stage.Image, StageState.Copy(stage.Config), cacheKey, string.Join(' ', described), stage.Author, container.Id);
            stage.Image = await _backend.Images.CommitBuildStepAsync(step, _backend.Containers.UpperDirOf(container), _tempDir, cancellationToken);
            keep = !_options.RemoveIntermediate && !_options.ForceRemoveIntermediate;
            succeeded = true;
        }
        finally
        {
            if (!keep) await RemoveContainerAsync(container.Id, announce: succeeded);
        }
        _output.Image(stage.Image.Id);
    }

    private async Task<Engine.Containers.ContainerRecord> CreateRunContainerAsync(ContainerConfig config, CancellationToken cancellationToken)
    {
        var run = _options.Run;
        var host = new HostConfig
        {
            NetworkMode = string.IsNullOrEmpty(run.NetworkMode) ? "default" : run.NetworkMode,
            Memory = run.Memory,
            MemorySwap = run.MemorySwap,
            CpuShares = run.CpuShares,
            CpusetCpus = run.CpusetCpus ?? "",
            CpuPeriod = run.CpuPeriod,
            CpuQuota = run.CpuQuota,
            ShmSize = run.ShmSize,
            ExtraHosts = run.ExtraHosts.Count == 0 ? null : [.. run.ExtraHosts],
        };
        var endpoints = _backend.Networks.PlanEndpoints(host, null, null);
        return await _backend.Containers.CreateAsync(null, config, host, cancellationToken, endpoints);
    }

    /// <summary>Removes a step's container; once its step succeeded, saying so as Docker does.</summary>
    private async Task RemoveContainerAsync(string id, bool announce)
    {
        await _backend.Containers.RemoveAsync(id, force: true, removeVolumes: true, CancellationToken.None);
        if (announce) _output.Text($"Removing intermediate container {id[..12]}\n");
    }

    /// <summary>The container's stdout and stderr as build output, in the order written, multi-byte characters kept whole.</summary>
    private Task StreamOutputAsync(Stream stream, CancellationToken cancellationToken)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        return MultiplexedFrames.ReadAsync(stream, data =>
        {
            var text = new char[decoder.GetCharCount(data.Span, flush: false)];
            int chars = decoder.GetChars(data.Span, text, flush: false);
            if (chars > 0) _output.Text(new string(text, 0, chars));
        }, cancellationToken);
    }
}

/// <summary>A RUN whose command failed; the build's error then carries its exit code, as Docker's does.</summary>
public sealed class BuildStepFailedException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

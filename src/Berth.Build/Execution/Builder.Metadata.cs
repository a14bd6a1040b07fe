using Berth.Build.Dockerfile;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.GoText;
using Berth.Oci.Errors;
using Berth.Oci.Images;

namespace Berth.Build.Execution;

public sealed partial class Builder
{
    /// <summary>
    /// The instructions that change only the image's config. Each is still a step of its own (an image with an empty
    /// layer, found again by the cache), but no container is made for it: Docker makes and removes one per step.
    /// </summary>
    private Task MetadataStepAsync(StageState stage, Instruction instruction, CancellationToken cancellationToken)
    {
        var config = stage.Config;
        string args = instruction.Arguments;
        string description;
        switch (instruction.Keyword)
        {
            case "ENV":
                var variables = KeyValueArguments.Parse("ENV", args, stage.Lookup, _escape);
                foreach (var (key, value) in variables) stage.SetEnv(key, value);
                description = "ENV " + string.Join(' ', variables.Select(v => $"{v.Key}={v.Value}"));
                break;
            case "LABEL":
                var labels = KeyValueArguments.Parse("LABEL", args, stage.Lookup, _escape);
                config.Labels ??= [];
                foreach (var (key, value) in labels) config.Labels[key] = value;
                description = "LABEL " + string.Join(' ', labels.Select(v => $"{v.Key}={v.Value}"));
                break;
            case "ARG":
                var declared = KeyValueArguments.ParseArgs(args, stage.Lookup, _escape);
                foreach (var (name, defaultValue) in declared)
                {
                    _declaredArgs.Add(name);
                    stage.Args[name] = _options.BuildArgs.TryGetValue(name, out var given) && given is not null ? given
                        : defaultValue ?? (_metaArgs.TryGetValue(name, out var meta) ? meta : null);
                }
                description = "ARG " + string.Join(' ', declared.Select(a => a.Default is null ? a.Name : $"{a.Name}={a.Default}"));
                break;
            case "CMD":
                config.Cmd = [.. CommandOf(stage, instruction)];
                config.ArgsEscaped = false;
                stage.CmdSet = true;
                description = "CMD " + GoList(config.Cmd);
                break;
            case "ENTRYPOINT":
                var entrypoint = CommandOf(stage, instruction);
                config.Entrypoint = entrypoint.Count == 0 ? null : [.. entrypoint];
                if (!stage.CmdSet) config.Cmd = null;
                description = "ENTRYPOINT " + GoList(config.Entrypoint ?? []);
                break;
            case "EXPOSE":
                var specs = ShellWords.ExpandWords(args, stage.Lookup, _escape);
                var ports = specs.SelectMany(ExposedPorts.Parse).ToList();
                if (ports.Count == 0) throw BerthException.Invalid("EXPOSE requires at least one argument");
                config.ExposedPorts ??= [];
                foreach (string port in ports) config.ExposedPorts.TryAdd(port, EmptyObject.Instance);
                description = "EXPOSE " + string.Join(' ', specs);
                break;
            case "USER":
                string user = ShellWords.Expand(args, stage.Lookup, _escape);
                if (user.Length == 0) throw BerthException.Invalid("USER requires exactly one argument");
                config.User = user;
                description = "USER " + user;
                break;
            case "VOLUME":
                var volumes = instruction.JsonArguments ?? ShellWords.ExpandWords(args, stage.Lookup, _escape);
                if (volumes.Count == 0) throw BerthException.Invalid("VOLUME requires at least one argument");
                config.Volumes ??= [];
                foreach (string volume in volumes)
                {
                    if (volume.Trim().Length == 0) throw BerthException.Invalid("VOLUME specified can not be an empty string");
                    config.Volumes.TryAdd(volume.Trim(), EmptyObject.Instance);
                }
                description = "VOLUME [" + string.Join(' ', volumes) + "]";
                break;
            case "STOPSIGNAL":
                string signal = ShellWords.Expand(args, stage.Lookup, _escape);
                Signals.Parse(signal);
                config.StopSignal = signal;
                description = "STOPSIGNAL " + signal;
                break;
            case "HEALTHCHECK":
                config.Healthcheck = Healthcheck.Parse(instruction);
                description = "HEALTHCHECK " + args;
                break;
            case "SHELL":
                if (instruction.JsonArguments is not { Count: > 0 } shell)
                    throw BerthException.Invalid("SHELL requires the arguments to be in JSON form");
                config.Shell = [.. shell];
                description = "SHELL " + GoList(shell);
                break;
            case "ONBUILD":
                // The trigger was checked with the Dockerfile (no ONBUILD, FROM or MAINTAINER in it).
                config.OnBuild ??= [];
                config.OnBuild.Add(args);
                description = "ONBUILD " + args;
                break;
            case "MAINTAINER":
                stage.Author = args;
                description = "MAINTAINER " + args;
                break;
            default:
                throw BerthException.Invalid($"dockerfile parse error line {instruction.Line}: unknown instruction: {instruction.Keyword}");
        }
        return CommitMetadataAsync(stage, description, cancellationToken);
    }

    /// <summary>A step that changed only the config: from the cache, or a new image sharing its parent's layers.</summary>
    private async Task CommitMetadataAsync(StageState stage, string description, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(stage, [.. stage.Shell, "#(nop) ", description]);
        if (TryCache(stage, cacheKey)) return;
        var step = new BuildStep(stage.Image, StageState.Copy(stage.Config), cacheKey, string.Join(' ', cacheKey.Cmd!), stage.Author, null);
        stage.Image = await _backend.Images.CommitBuildStepAsync(step, null, _tempDir, cancellationToken);
        _output.Image(stage.Image.Id);
    }

    /// <summary>
    /// What identifies a step for the cache (kept as the image's container_config, as Docker keeps it): the config it
    /// started from, with the command that describes it.
    /// </summary>
    private static ImageRuntimeConfig CacheKey(StageState stage, List<string> command)
    {
        var key = StageState.Copy(stage.Config);
        key.Cmd = command;
        return key;
    }

    private bool TryCache(StageState stage, ImageRuntimeConfig cacheKey)
    {
        if (_options.NoCache) return false;
        var cached = _backend.Images.FindBuildCache(stage.Image, cacheKey);
        if (cached is null) return false;
        _output.Arrow("Using cache");
        _output.Image(cached.Id);
        stage.Image = cached;
        return true;
    }

    /// <summary>A CMD's, ENTRYPOINT's or RUN's command: the exec form as given, the shell form run by the stage's SHELL.</summary>
    private static IReadOnlyList<string> CommandOf(StageState stage, Instruction instruction) =>
        instruction.JsonArguments ?? (instruction.Arguments.Length == 0 ? [] : [.. stage.Shell, instruction.Arguments]);

    /// <summary>A list as Go's %q prints a []string in Docker's history lines: ["a" "b"].</summary>
    private static string GoList(IEnumerable<string> items) =>
        "[" + string.Join(' ', items.Select(GoQuote.Quote)) + "]";
}

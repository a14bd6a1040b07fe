using System.Text.Json.Nodes;
using Berth.Engine.Runtime;
using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>
/// The OCI runtimes besides runc: --add-runtime NAME=PATH, daemon.json <c>"runtimes": {"NAME": {"path": …,
/// "runtimeArgs": […]}}</c>, and "default-runtime" / --default-runtime, with dockerd's rules and messages.
/// </summary>
public sealed partial class DaemonOptions
{
    /// <summary>--add-runtime NAME=PATH: the name is trimmed and lower-cased, and may be given once (dockerd's flag).</summary>
    private void AddFlagRuntime(string value)
    {
        int eq = value.IndexOf('=');
        string name = eq > 0 ? value[..eq].Trim().ToLowerInvariant() : "", path = eq > 0 ? value[(eq + 1)..].Trim() : "";
        string? problem = name.Length == 0 || path.Length == 0 ? $"invalid runtime argument: {value}"
            : name == OciRuntimes.Runc ? $"runtime name '{OciRuntimes.Runc}' is reserved"
            : !_flagRuntimes.Add(name) ? $"runtime '{name}' was already defined"
            : null;
        if (problem is not null) throw BerthException.Invalid($"invalid argument \"{value}\" for \"--add-runtime\" flag: {problem}");
        Runtimes.TryAdd(name, new OciRuntime(name, path, [])); // the file's definition of the same name stays
    }

    /// <summary>One member of daemon.json "runtimes", as the file reader hands maps over: <c>NAME={"path":…,"runtimeArgs":[…]}</c>.</summary>
    private void AddFileRuntime(string member)
    {
        int eq = member.IndexOf('=');
        string name = member[..Math.Max(eq, 0)];
        JsonObject? definition = null;
        try
        {
            definition = JsonNode.Parse(member[(eq + 1)..]) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        string? path = definition?["path"] is JsonValue pathValue && pathValue.TryGetValue(out string? text) ? text : null;
        List<string> args = [];
        if (definition?["runtimeArgs"] is JsonArray array)
            foreach (var arg in array) args.Add(arg is JsonValue v && v.TryGetValue(out string? s) ? s : throw InvalidRuntime(name));
        else if (definition?["runtimeArgs"] is not null) throw InvalidRuntime(name);
        if (name.Length == 0 || string.IsNullOrWhiteSpace(path)) throw InvalidRuntime(name);
        Runtimes[name] = new OciRuntime(name, path, args);
    }

    private BerthException InvalidRuntime(string name) =>
        BerthException.Invalid($"unable to configure the daemon with file {ConfigFile}: runtime \"{name}\": a path (a string) and runtimeArgs (a list of strings) are expected");

    /// <summary>
    /// dockerd's checks, once on the file's own settings ("configuration validation from file failed: …") and once on
    /// the file and flags together: "runc" is reserved, and the default runtime must be one that is defined.
    /// </summary>
    private void ValidateRuntimes(bool fromFile)
    {
        string? problem = fromFile && Runtimes.ContainsKey(OciRuntimes.Runc) ? $"runtime name '{OciRuntimes.Runc}' is reserved"
            : DefaultRuntime.Length > 0 && !IsDefined(DefaultRuntime) ? $"specified default runtime '{DefaultRuntime}' does not exist"
            : null;
        if (problem is null) return;
        throw BerthException.Invalid(fromFile ? $"unable to configure the daemon with file {ConfigFile}: configuration validation from file failed: {problem}" : problem);
    }

    private bool IsDefined(string name) => name is OciRuntimes.Runc or OciRuntimes.RuncShimName || Runtimes.ContainsKey(name);

    private static readonly string[] ExclusiveSettings = ["default-runtime"];

    /// <summary>
    /// A setting given both as a flag and in daemon.json is refused, as dockerd does, for the settings it holds to that here
    /// (a flag otherwise overrides the file). "runtimes" merges instead: --add-runtime and the file's names add up.
    /// </summary>
    private void RefuseConflicts(Dictionary<string, List<string>> flags)
    {
        var conflicts = new List<string>();
        foreach (string key in ExclusiveSettings)
            if (flags.TryGetValue(key, out var flagValues) && _fileValues.TryGetValue(key, out string? fileValue))
                conflicts.Add($"{key}: (from flag: {flagValues[^1]}, from file: {fileValue})");
        if (conflicts.Count > 0)
            throw BerthException.Invalid($"unable to configure the daemon with file {ConfigFile}: the following directives are specified both as a flag and in the configuration file: {string.Join(", ", conflicts)}");
    }
}

using System.Text.Json.Serialization;

namespace Berth.Engine.Runtime.Shim;

/// <summary>shim.json as berth-shim reads it.</summary>
internal sealed record ShimConfigDocument(
    string Id, string Bundle, string Runtime, string RuntimeRoot, string LogPath,
    bool OpenStdin, bool StdinOnce, bool Tty, int ConsoleHeight, int ConsoleWidth,
    string CgroupPath, long LogMaxSize, int LogMaxFiles, bool LogCompress, bool LogNonBlocking,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LogForwardSpec? LogForward,
    IReadOnlyList<string> RuntimeArgs, bool RuntimeIsRunc)
{
    public static ShimConfigDocument From(ShimLaunchSpec spec) => new(
        spec.Id, spec.Bundle, spec.Runtime, spec.RuntimeRoot, spec.LogPath,
        spec.OpenStdin, spec.StdinOnce, spec.Tty, spec.ConsoleHeight, spec.ConsoleWidth,
        spec.CgroupPath, spec.LogMaxSize, spec.LogMaxFiles, spec.LogCompress, spec.LogNonBlocking, spec.LogForward,
        spec.RuntimeArgs ?? [], spec.RuntimeIsRunc);
}

/// <summary>exit.json as berth-shim writes it: <c>{"exitCode":N,"finishedAt":"RFC3339Nano","oomKilled":bool}</c>.</summary>
internal sealed record ShimExitDocument(int ExitCode, string FinishedAt, bool OomKilled);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ShimConfigDocument))]
[JsonSerializable(typeof(ShimExitDocument))]
internal sealed partial class ShimJsonContext : JsonSerializerContext;

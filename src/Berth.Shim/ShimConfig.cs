using System.Text.Json.Serialization;

namespace Berth.Shim;

/// <summary>
/// <c>&lt;stateDir&gt;/shim.json</c>, written by the daemon before it spawns the shim (camelCase JSON).
/// An empty <see cref="LogPath"/> means no log (Docker's "none" log driver).
/// </summary>
internal sealed class ShimConfig
{
    public string Id { get; set; } = "";
    public string Bundle { get; set; } = "";
    public string Runtime { get; set; } = "/usr/sbin/runc";
    public string RuntimeRoot { get; set; } = "";
    public string LogPath { get; set; } = "";
    public bool OpenStdin { get; set; }
    public bool StdinOnce { get; set; }
    public bool Tty { get; set; }
    public int ConsoleHeight { get; set; }
    public int ConsoleWidth { get; set; }
    public string CgroupPath { get; set; } = "";
    public long LogMaxSize { get; set; }
    public int LogMaxFiles { get; set; } = 1;

    public static ShimConfig Load(string path)
    {
        var config = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllBytes(path), ShimConfigJsonContext.Default.ShimConfig)
            ?? throw new InvalidDataException($"{path}: empty configuration");
        if (config.Id.Length == 0 || config.Bundle.Length == 0 || config.RuntimeRoot.Length == 0 || config.Runtime.Length == 0)
            throw new InvalidDataException($"{path}: id, bundle, runtime and runtimeRoot are required");
        return config;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ShimConfig))]
internal sealed partial class ShimConfigJsonContext : JsonSerializerContext;

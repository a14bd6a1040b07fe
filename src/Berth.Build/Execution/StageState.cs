using System.Text.Json;
using Berth.Engine.Images;
using Berth.Oci.Images;

namespace Berth.Build.Execution;

/// <summary>
/// Where one build stage stands: the image of its last step (null while it is FROM scratch and nothing was
/// committed), the config the next step starts from, and the ARGs declared in it so far.
/// </summary>
internal sealed class StageState(string? name, Image? image, ImageRuntimeConfig config)
{
    private static readonly string[] DefaultShell = ["/bin/sh", "-c"];

    public string? Name { get; } = name;
    public Image? Image { get; set; } = image;
    public ImageRuntimeConfig Config { get; } = config;

    /// <summary>ARGs declared in this stage, with their values (null: declared without one).</summary>
    public Dictionary<string, string?> Args { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a CMD was given in this stage (an ENTRYPOINT then keeps it; otherwise it clears the base's).</summary>
    public bool CmdSet { get; set; }

    /// <summary>MAINTAINER, recorded as the image's author.</summary>
    public string? Author { get; set; }

    public IReadOnlyList<string> Shell => Config.Shell is { Count: > 0 } shell ? shell : DefaultShell;

    /// <summary>
    /// How $VAR reads in this stage's instructions: the image's environment first (an ENV overrides an ARG of the same
    /// name, as Docker documents), then the ARGs declared here.
    /// </summary>
    public string? Lookup(string variable)
    {
        if (Config.Env is { } env)
            foreach (var entry in env)
                if (entry.Length > variable.Length && entry[variable.Length] == '=' && entry.StartsWith(variable, StringComparison.Ordinal))
                    return entry[(variable.Length + 1)..];
        return Args.TryGetValue(variable, out var value) ? value : null;
    }

    public void SetEnv(string key, string value)
    {
        Config.Env ??= [];
        int index = Config.Env.FindIndex(e => e.StartsWith(key + "=", StringComparison.Ordinal));
        if (index >= 0) Config.Env[index] = $"{key}={value}";
        else Config.Env.Add($"{key}={value}");
    }

    public static ImageRuntimeConfig Copy(ImageRuntimeConfig? config) => config is null
        ? new ImageRuntimeConfig()
        : JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(config, OciImageJsonContext.Default.ImageRuntimeConfig),
            OciImageJsonContext.Default.ImageRuntimeConfig)!;
}

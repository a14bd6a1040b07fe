using System.Text.Json;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>Writes and reads the <c>config.json</c> of an OCI bundle directory.</summary>
public static class BundleWriter
{
    public const string ConfigFileName = "config.json";

    /// <summary>
    /// Creates the bundle directory if needed and replaces config.json (temp file, rename: a reader never sees half a
    /// file). Not fsynced: the bundle lives in the exec root, runtime state that no container outlives, and is written
    /// again at every start, so a power loss can cost nothing that a sync would have kept.
    /// </summary>
    public static async Task WriteAsync(string bundleDir, RuntimeSpec spec, CancellationToken ct)
    {
        Directory.CreateDirectory(bundleDir);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeSpecJsonContext.Default.RuntimeSpec);
        await RuntimeFile.WriteAsync(Path.Combine(bundleDir, ConfigFileName), json, ct);
    }

    public static async Task<RuntimeSpec> ReadAsync(string bundleDir, CancellationToken ct)
    {
        await using var stream = File.OpenRead(Path.Combine(bundleDir, ConfigFileName));
        return await JsonSerializer.DeserializeAsync(stream, RuntimeSpecJsonContext.Default.RuntimeSpec, ct)
            ?? throw new InvalidDataException($"bundle {bundleDir}: {ConfigFileName} is empty");
    }
}

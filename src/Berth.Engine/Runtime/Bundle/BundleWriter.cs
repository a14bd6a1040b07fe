using System.Text.Json;
using Berth.Oci.Content;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>Writes and reads the <c>config.json</c> of an OCI bundle directory.</summary>
public static class BundleWriter
{
    public const string ConfigFileName = "config.json";

    /// <summary>Creates the bundle directory if needed and replaces config.json atomically (temp file, fsync, rename).</summary>
    public static async Task WriteAsync(string bundleDir, RuntimeSpec spec, CancellationToken ct)
    {
        Directory.CreateDirectory(bundleDir);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeSpecJsonContext.Default.RuntimeSpec);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(bundleDir, ConfigFileName), json, ct);
    }

    public static async Task<RuntimeSpec> ReadAsync(string bundleDir, CancellationToken ct)
    {
        await using var stream = File.OpenRead(Path.Combine(bundleDir, ConfigFileName));
        return await JsonSerializer.DeserializeAsync(stream, RuntimeSpecJsonContext.Default.RuntimeSpec, ct)
            ?? throw new InvalidDataException($"bundle {bundleDir}: {ConfigFileName} is empty");
    }
}

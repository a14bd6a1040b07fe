using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Oci.Archives;

/// <summary>Source-generated JSON for the archive records (no reflection: Berth.Oci is AOT-compatible).</summary>
[JsonSerializable(typeof(List<ArchiveManifestEntry>))]
[JsonSerializable(typeof(ImageConfigRootFs))]
[JsonSerializable(typeof(OciManifestOrIndex))]
[JsonSerializable(typeof(OciLayoutFile))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext
{
    /// <summary>For writing: media types keep their '+' literal ("…manifest.v1+json"), as Go writes them, not "\u002B".</summary>
    public static ArchiveJsonContext Writing { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

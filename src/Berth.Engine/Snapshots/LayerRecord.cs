using System.Text.Json.Serialization;

namespace Berth.Engine.Snapshots;

/// <summary>An unpacked layer: its chain ID names its directory, its diff ID is the digest of its uncompressed tar.</summary>
public sealed class LayerRecord
{
    public required string ChainId { get; init; }
    public required string DiffId { get; init; }
    public string? Parent { get; init; }
    /// <summary>The bytes of file content the layer holds, as dockerd counts a layer (tar headers and padding left out).</summary>
    public long Size { get; init; }

    /// <summary>The blob (as registered: plain or compressed tar) kept in the content store.</summary>
    public string? Blob { get; init; }
    public long BlobSize { get; init; }
}

[JsonSerializable(typeof(LayerRecord))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace Berth.Engine.Images;

/// <summary>What the store keeps beside an image's config blob: its ID (the config digest) and local metadata.</summary>
public sealed class ImageRecord
{
    public required string Id { get; init; }
    public string? Parent { get; set; }
    public DateTimeOffset? LastTagTime { get; set; }
    public long Size { get; set; }
}

/// <summary>References (tags and digests) to image IDs, kept in one file.</summary>
public sealed class ReferenceTable
{
    public Dictionary<string, string> References { get; set; } = new(StringComparer.Ordinal);
}

[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(ReferenceTable))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;

namespace Berth.Engine.Distribution.Push;

/// <summary>A layer to push: its diff ID and the blob it was registered from (plain, gzip or zstd tar) in the content store.</summary>
public sealed record PushLayer(string DiffId, string Blob, long BlobSize);

/// <summary>A local image to push: its ID (config digest), its exact config bytes and its layers from the bottom up.</summary>
public sealed record PushImage(string ImageId, byte[] Config, IReadOnlyList<PushLayer> Layers);

/// <summary>What a push produced: the manifest digest and size under the pushed tag.</summary>
public sealed record PushResult(string Tag, string Digest, long Size);

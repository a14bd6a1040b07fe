using Berth.Oci.Digests;
using Berth.Oci.References;

namespace Berth.Engine.Distribution.Pull;

/// <param name="ImageId">The local image (its config digest).</param>
/// <param name="ManifestDigest">The digest of what the reference resolved to (an index when the registry served one).</param>
/// <param name="Updated">False when the reference already named this image ("Image is up to date").</param>
public sealed record PullResult(ImageReference Reference, string ImageId, Digest ManifestDigest, bool Updated);

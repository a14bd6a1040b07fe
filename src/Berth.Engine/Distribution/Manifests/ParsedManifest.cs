using Berth.Oci.Digests;
using Berth.Oci.Images;

namespace Berth.Engine.Distribution.Manifests;

/// <summary>A fetched manifest: its exact bytes (its digest is theirs), its media type and the parsed document.</summary>
public sealed record ParsedManifest(byte[] Bytes, string MediaType, Digest Digest, ManifestDocument Document)
{
    public bool IsIndex => MediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList;

    public Descriptor Config => Document.Config!;

    public IReadOnlyList<Descriptor> Layers => Document.Layers ?? [];

    public IReadOnlyList<Descriptor> Manifests => Document.Manifests ?? [];
}

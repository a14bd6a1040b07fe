using Berth.Oci.Images;

namespace Berth.Engine.Images;

/// <summary>An image as callers see it: its record, parsed config, chain of layers and the references naming it.</summary>
public sealed record Image(ImageRecord Record, ImageConfig Config, IReadOnlyList<string> ChainIds, IReadOnlyList<string> RepoTags, IReadOnlyList<string> RepoDigests)
{
    public string Id => Record.Id;
    public string? TopChainId => ChainIds.Count == 0 ? null : ChainIds[^1];
}

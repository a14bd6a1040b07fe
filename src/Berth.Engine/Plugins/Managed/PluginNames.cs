using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Engine.Plugins.Managed;

/// <summary>Plugin names are image references in their familiar form, always tagged: "x" is "x:latest".</summary>
public static class PluginNames
{
    /// <summary>The name a create or install records; dockerd's errors for a name that is not a plain reference.</summary>
    public static string Normalize(string name)
    {
        if (!ImageReference.TryParse(name, addLatest: true, out var reference, out string error))
            throw BerthException.Internal($"failed to parse reference {name}: {error}");
        if (reference.Digest is not null) throw BerthException.Internal("canonical references are not permitted");
        return reference.FamiliarString;
    }

    /// <summary>The normalized name, or null when <paramref name="name"/> is not a reference (it may still be an ID).</summary>
    public static string? TryNormalize(string name) =>
        ImageReference.TryParse(name, addLatest: true, out var reference, out _) && reference.Digest is null ? reference.FamiliarString : null;
}

using Berth.Engine.Distribution.Manifests;
using Berth.Oci.Errors;

namespace Berth.Engine.Images;

/// <summary>Whether a local image is for the platform a request names (<c>docker run --platform</c>).</summary>
public static class ImagePlatforms
{
    public static PlatformSpec Of(Image image) =>
        new() { Os = image.Config.Os, Architecture = image.Config.Architecture, Variant = image.Config.Variant };

    /// <summary>
    /// dockerd's refusal when the image found is for another platform: a 404, so that the docker CLI goes on to pull
    /// the image for the platform asked. An image without a variant serves every variant of its architecture.
    /// </summary>
    public static void EnsureFor(Image image, string reference, PlatformSpec wanted)
    {
        var actual = Of(image);
        if (PlatformMatcher.Rank(PlatformMatcher.Normalize(actual), PlatformMatcher.Normalize(wanted)) != int.MaxValue) return;
        throw BerthException.NotFound($"image with reference {reference} was found but does not match the specified platform: wanted {wanted}, actual: {actual}");
    }
}

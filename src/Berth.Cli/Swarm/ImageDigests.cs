using System.Text.Json.Nodes;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>
/// docker's client pins a service's image to the digest the registry answers (GET /distribution/NAME/json) and
/// records the platforms it supports; when that fails it warns and keeps the tag.
/// </summary>
public static class ImageDigests
{
    public static async Task<string?> ResolveAsync(EngineClient client, JsonObject spec, CancellationToken cancellation)
    {
        var task = spec.Child("TaskTemplate");
        var container = task.Child("ContainerSpec");
        var image = container.Str("Image");
        if (image.Contains('@'))
            return null;
        try
        {
            var inspect = await client.DistributionInspectAsync(image, null, cancellation);
            var digest = inspect.Obj("Descriptor").Str("digest");
            if (digest.Length == 0)
                return Warning(image);
            container["Image"] = $"{image}@{digest}";
            var platforms = new JsonArray();
            foreach (var platform in inspect.Arr("Platforms") ?? [])
            {
                var architecture = platform.Str("architecture");
                if (architecture.Equals("arm", StringComparison.OrdinalIgnoreCase))
                    architecture = "";
                var entry = new JsonObject();
                if (architecture.Length > 0)
                    entry["Architecture"] = architecture;
                if (platform.Str("os") is { Length: > 0 } os)
                    entry["OS"] = os;
                platforms.Add((JsonNode)entry);
            }
            if (platforms.Count > 0)
                task.Child("Placement")["Platforms"] = platforms;
            return null;
        }
        catch (EngineApiException)
        {
            return Warning(image);
        }
    }

    private static string Warning(string image)
        => $"image {image} could not be accessed on a registry to record\nits digest. Each node will access {image} independently,\npossibly leading to different nodes running different\nversions of the image.\n";
}

using System.Text.Json;
using Berth.Oci.Digests;

namespace Berth.Registry.Distribution;

/// <summary>
/// Validates a pushed manifest's JSON (image manifest or index, OCI or Docker schema 2) and extracts its references.
/// Every failure is MANIFEST_INVALID with a message saying which field is wrong.
/// </summary>
public static class ManifestParser
{
    /// <param name="contentType">The Content-Type of the push (parameters removed), or null.</param>
    public static ParsedManifest Parse(ReadOnlyMemory<byte> content, string? contentType)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw RegistryErrors.ManifestInvalid($"manifest invalid: not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid("the manifest is not a JSON object");
            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out int schemaVersion))
                throw Invalid("schemaVersion is missing");
            if (schemaVersion == 1) throw Invalid("Docker schema 1 manifests are not supported");
            if (schemaVersion != 2) throw Invalid($"schemaVersion {schemaVersion} is not supported");

            string? declared = OptionalString(root, "mediaType");
            string? headerType = string.IsNullOrEmpty(contentType) || !MediaTypes.IsSupportedManifest(contentType) ? null : contentType;
            if (declared is not null && !MediaTypes.IsSupportedManifest(declared))
                throw Invalid($"mediaType \"{declared}\" is not a manifest type this registry stores");
            if (declared is not null && headerType is not null && declared != headerType)
                throw Invalid($"mediaType \"{declared}\" does not match the Content-Type \"{headerType}\"");
            string mediaType = declared ?? headerType ?? Detect(root);

            var subject = root.TryGetProperty("subject", out var subjectElement) && subjectElement.ValueKind != JsonValueKind.Null
                ? ReadDescriptor(subjectElement, "subject") : null;
            string? artifactType = OptionalString(root, "artifactType");
            string? annotations = root.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a.GetRawText() : null;

            if (MediaTypes.IsIndex(mediaType))
            {
                if (!root.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
                    throw Invalid("manifests must be an array");
                var children = new List<Descriptor>();
                int i = 0;
                foreach (var child in manifests.EnumerateArray()) children.Add(ReadDescriptor(child, $"manifests[{i++}]"));
                return new ParsedManifest(mediaType, null, [], children, subject, artifactType, annotations);
            }

            if (!root.TryGetProperty("config", out var config)) throw Invalid("config is missing");
            var configDescriptor = ReadDescriptor(config, "config");
            if (!root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
                throw Invalid("layers must be an array");
            var layerList = new List<Descriptor>();
            int j = 0;
            foreach (var layer in layers.EnumerateArray()) layerList.Add(ReadDescriptor(layer, $"layers[{j++}]"));
            if (mediaType == MediaTypes.DockerManifest && layerList.Count == 0)
                throw Invalid("a Docker image manifest needs at least one layer");
            return new ParsedManifest(mediaType, configDescriptor, layerList, [], subject, artifactType, annotations);
        }
    }

    private static string Detect(JsonElement root)
    {
        if (root.TryGetProperty("manifests", out _)) return MediaTypes.OciIndex;
        if (root.TryGetProperty("config", out _)) return MediaTypes.OciManifest;
        throw Invalid("cannot tell the manifest type: no mediaType, Content-Type, config or manifests");
    }

    private static Descriptor ReadDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid($"{where} is not a descriptor object");
        string mediaType = OptionalString(element, "mediaType") ?? throw Invalid($"{where}.mediaType is missing");
        string digest = OptionalString(element, "digest") ?? throw Invalid($"{where}.digest is missing");
        if (!Digest.TryParse(digest, out _)) throw Invalid($"{where}.digest \"{digest}\" is not a valid digest");
        if (!element.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out long size) || size < 0)
            throw Invalid($"{where}.size is missing or negative");
        string? artifactType = OptionalString(element, "artifactType");
        string? annotations = element.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object ? a.GetRawText() : null;
        bool hasUrls = element.TryGetProperty("urls", out var urls) && urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0;
        return new Descriptor(mediaType, digest, size, artifactType, annotations, hasUrls, PlatformOf(element));
    }

    private static string? PlatformOf(JsonElement descriptor)
    {
        if (!descriptor.TryGetProperty("platform", out var platform) || platform.ValueKind != JsonValueKind.Object) return null;
        return platform.TryGetProperty("os", out var os) && os.ValueKind == JsonValueKind.String
               && platform.TryGetProperty("architecture", out var arch) && arch.ValueKind == JsonValueKind.String
            ? $"{os.GetString()}/{arch.GetString()}"
            : null;
    }

    private static string? OptionalString(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Invalid($"{property} must be a string");
        return value.GetString();
    }

    private static Oci.Errors.BerthException Invalid(string message) => RegistryErrors.ManifestInvalid($"manifest invalid: {message}");
}

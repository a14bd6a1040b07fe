using System.Text.Json;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;

namespace Berth.Engine.Distribution.Manifests;

/// <summary>
/// Reads a manifest as a registry served it: the media type from Content-Type, else from the document itself;
/// schema 1 refused; config and layer descriptors checked so that nothing later trusts a malformed digest or size.
/// </summary>
public static class ManifestParser
{
    /// <summary>What pulls ask for, in Docker's order of preference.</summary>
    public static readonly string[] AcceptedMediaTypes =
    [
        MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest,
    ];

    /// <param name="reference">The reference the manifest was fetched for, named in errors.</param>
    public static ParsedManifest Parse(byte[] bytes, string? contentType, Digest digest, string reference)
    {
        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, ManifestJsonContext.Default.ManifestDocument);
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"manifest for {reference} is not valid JSON: {e.Message}");
        }
        if (document is null) throw BerthException.Invalid($"manifest for {reference} is not valid JSON: null");

        string? headerType = contentType?.Split(';')[0].Trim();
        if (headerType is MediaTypes.DockerSchema1Manifest or MediaTypes.DockerSchema1SignedManifest
            || document.SchemaVersion == 1 || document.FsLayers is not null)
            throw BerthException.Invalid(
                $"{reference} uses the Docker image manifest version 2, schema 1 format, which is no longer supported; " +
                "ask the image's author to push it again as an OCI or Docker schema 2 image");

        string mediaType = KnownType(headerType) ?? KnownType(document.MediaType)
            ?? (document.Manifests is not null ? MediaTypes.OciIndex : document.Config is not null ? MediaTypes.OciManifest : null)
            ?? throw BerthException.Invalid($"manifest for {reference} has unsupported media type \"{headerType ?? document.MediaType}\"");
        if (document.MediaType is { Length: > 0 } declared && KnownType(declared) is { } known && known != mediaType)
            throw BerthException.Invalid($"manifest for {reference}: media type {declared} does not match Content-Type {mediaType}");

        var manifest = new ParsedManifest(bytes, mediaType, digest, document);
        if (manifest.IsIndex)
        {
            foreach (var entry in manifest.Manifests) CheckDescriptor(entry, reference);
        }
        else
        {
            if (document.Config is null) throw BerthException.Invalid($"manifest for {reference} has no config");
            CheckDescriptor(document.Config, reference);
            foreach (var layer in manifest.Layers) CheckDescriptor(layer, reference);
        }
        return manifest;
    }

    private static string? KnownType(string? mediaType) => mediaType switch
    {
        MediaTypes.OciIndex or MediaTypes.DockerManifestList or MediaTypes.OciManifest or MediaTypes.DockerManifest => mediaType,
        _ => null,
    };

    private static void CheckDescriptor(Descriptor descriptor, string reference)
    {
        if (!Digest.TryParse(descriptor.Digest, out _))
            throw BerthException.Invalid($"manifest for {reference} names an invalid digest \"{descriptor.Digest}\"");
        if (descriptor.Size < 0)
            throw BerthException.Invalid($"manifest for {reference} gives {descriptor.Digest} a negative size");
    }
}

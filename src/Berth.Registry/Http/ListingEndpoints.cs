using System.Buffers;
using System.Text.Json;
using Berth.Oci.Digests;
using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>Content discovery: tag lists, the catalog and the referrers API.</summary>
public sealed class ListingEndpoints(RegistryServices services)
{
    public Task TagsAsync(HttpContext context, string name)
    {
        var tags = services.Storage.ListTags(name) ?? throw RegistryErrors.NameUnknown(name);
        var page = Pagination.Apply(context, tags, $"/v2/{name}/tags/list");
        return WriteJsonAsync(context, writer =>
        {
            writer.WriteString("name", name);
            WriteStrings(writer, "tags", page);
        });
    }

    public Task CatalogAsync(HttpContext context)
    {
        var page = Pagination.Apply(context, services.Storage.ListRepositories(), "/v2/_catalog");
        return WriteJsonAsync(context, writer => WriteStrings(writer, "repositories", page));
    }

    public Task ReferrersAsync(HttpContext context, string name, Digest subject)
    {
        string? artifactType = context.Request.Query["artifactType"];
        var descriptors = services.Storage.ListReferrers(name, subject);
        if (!string.IsNullOrEmpty(artifactType)) context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        return WriteJsonAsync(context, writer =>
        {
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            writer.WriteStartArray("manifests");
            foreach (var json in descriptors)
            {
                if (!string.IsNullOrEmpty(artifactType) && !HasArtifactType(json, artifactType)) continue;
                writer.WriteRawValue(json, skipInputValidation: true);
            }
            writer.WriteEndArray();
        }, MediaTypes.OciIndex);
    }

    private static bool HasArtifactType(string descriptorJson, string artifactType)
    {
        using var document = JsonDocument.Parse(descriptorJson);
        return document.RootElement.TryGetProperty("artifactType", out var value) && value.GetString() == artifactType;
    }

    private static void WriteStrings(Utf8JsonWriter writer, string property, List<string> values)
    {
        writer.WriteStartArray(property);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> body, string contentType = "application/json; charset=utf-8")
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Responses.WriteAsync(context.Response, StatusCodes.Status200OK, contentType, buffer.WrittenMemory);
    }
}

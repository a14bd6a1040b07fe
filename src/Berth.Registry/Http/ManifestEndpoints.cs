using System.Buffers;
using System.Text.Json;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Registry.Distribution;
using Berth.Registry.Storage;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>GET/HEAD/PUT/DELETE <c>/v2/&lt;name&gt;/manifests/&lt;tag or digest&gt;</c>.</summary>
public sealed class ManifestEndpoints(RegistryServices services)
{
    private RegistryStorage Storage => services.Storage;

    public async Task GetAsync(HttpContext context, string name, string reference)
    {
        var (digest, mediaType) = await ResolveAsync(name, reference, context.RequestAborted);
        var accept = context.Request.Headers.Accept;
        if (!Accepts(accept, mediaType))
        {
            (digest, mediaType) = await DefaultPlatformManifestAsync(name, digest, mediaType, accept, context.RequestAborted)
                ?? throw RegistryErrors.Create(ErrorCode.ManifestUnknown,
                    $"manifest {name}:{reference} is a {mediaType}, which the Accept header does not allow");
        }
        var content = await services.ManifestCache.ReadAsync(Storage, digest, context.RequestAborted)
            ?? throw RegistryErrors.ManifestUnknown(name, reference);
        var headers = context.Response.Headers;
        headers["Docker-Content-Digest"] = digest.ToString();
        headers.ETag = $"\"{digest}\"";
        await Responses.WriteAsync(context.Response, StatusCodes.Status200OK, mediaType, content);
    }

    private async ValueTask<StoredManifest> ResolveAsync(string name, string reference, CancellationToken cancellationToken)
    {
        Digest digest;
        if (reference.Contains(':'))
        {
            digest = Names.Digest(reference);
        }
        else
        {
            if (!RepositoryName.IsValidTag(reference)) throw RegistryErrors.ManifestUnknown(name, reference);
            if (services.Upstream is not null)
                await services.Upstream.RefreshTagAsync(name, reference, cancellationToken);
            digest = Storage.ResolveTag(name, reference) ?? throw RegistryErrors.ManifestUnknown(name, reference);
        }
        if (Storage.FindManifest(name, digest) is { } found) return found;
        if (services.Upstream is not null && await services.Upstream.FetchManifestAsync(name, digest, cancellationToken) is { } fetched)
            return fetched;
        throw RegistryErrors.ManifestUnknown(name, reference);
    }

    /// <summary>
    /// A client that cannot read Docker manifest lists (Docker before 1.10, some scanners) gets the list's linux/amd64
    /// image manifest instead, as docker-registry serves it; OCI indexes get no such fallback (docker-registry neither).
    /// </summary>
    private async ValueTask<StoredManifest?> DefaultPlatformManifestAsync(string name, Digest list, string mediaType, Microsoft.Extensions.Primitives.StringValues accept, CancellationToken cancellationToken)
    {
        if (mediaType != MediaTypes.DockerManifestList) return null;
        var content = await services.ManifestCache.ReadAsync(Storage, list, cancellationToken);
        if (content is null) return null;
        var entry = ManifestParser.Parse(content, mediaType).Manifests
            .FirstOrDefault(m => m.Platform == DefaultPlatform && Accepts(accept, m.MediaType));
        if (entry is null || !Digest.TryParse(entry.Digest, out var digest)) return null;
        if (Storage.FindManifest(name, digest) is { } found) return found;
        return services.Upstream is not null ? await services.Upstream.FetchManifestAsync(name, digest, cancellationToken) : null;
    }

    private const string DefaultPlatform = "linux/amd64";

    /// <summary>True when no Accept header was sent, or one of its types (or a wildcard) covers <paramref name="mediaType"/>.</summary>
    internal static bool Accepts(Microsoft.Extensions.Primitives.StringValues accept, string mediaType)
    {
        if (accept.Count == 0) return true;
        foreach (var value in accept)
        {
            if (value is null) continue;
            foreach (var range in value.AsSpan().Split(','))
            {
                var item = value.AsSpan()[range];
                int semicolon = item.IndexOf(';');
                if (semicolon >= 0) item = item[..semicolon];
                item = item.Trim();
                if (item.IsEmpty) continue;
                if (item.SequenceEqual("*/*") || item.Equals(mediaType, StringComparison.OrdinalIgnoreCase)) return true;
                if (item.EndsWith("/*") && mediaType.StartsWith(item[..^1], StringComparison.OrdinalIgnoreCase)) return true;
                // Docker's clients send "application/json" alongside the manifest types; it does not restrict.
            }
        }
        return false;
    }

    public async Task PutAsync(HttpContext context, string name, string reference)
    {
        services.EnsureWritable();
        bool byDigest = reference.Contains(':');
        Digest? expected = byDigest ? Names.Digest(reference) : null;
        if (!byDigest && !RepositoryName.IsValidTag(reference))
            throw RegistryErrors.Create(ErrorCode.TagInvalid, $"manifest tag \"{reference}\" is invalid");

        byte[] content = await ReadBodyAsync(context.Request, services.Settings.MaxManifestBytes, context.RequestAborted);
        string? contentType = context.Request.ContentType is { } ct ? ct.Split(';')[0].Trim() : null;
        var manifest = ManifestParser.Parse(content, contentType);

        var digest = expected is { Algorithm: "sha512" } ? Digest.FromHash("sha512", System.Security.Cryptography.SHA512.HashData(content)) : Digest.Of(content);
        if (expected is { } want && want != digest)
            throw RegistryErrors.DigestInvalid($"manifest {name}@{want}: content hashes to {digest}");

        VerifyReferences(name, manifest);

        if (digest.Algorithm == "sha256")
            await Storage.Blobs.WriteAsync(content, context.RequestAborted);
        else
            await Storage.Blobs.WriteAsync(new MemoryStream(content), digest, content.Length, context.RequestAborted);
        Storage.AddManifest(name, digest, manifest.MediaType);
        if (!byDigest) Storage.Tag(name, reference, digest);

        if (manifest.Subject is { } subject && Digest.TryParse(subject.Digest, out var subjectDigest))
        {
            Storage.AddReferrer(name, subjectDigest, digest, ReferrerDescriptor(manifest, digest, content.Length));
            context.Response.Headers["OCI-Subject"] = subjectDigest.ToString();
        }

        context.Response.Headers.Location = $"/v2/{name}/manifests/{digest}";
        context.Response.Headers["Docker-Content-Digest"] = digest.ToString();
        Responses.Empty(context.Response, StatusCodes.Status201Created);
    }

    public Task DeleteAsync(HttpContext context, string name, string reference)
    {
        services.EnsureWritable();
        if (!services.Settings.DeleteEnabled) throw RegistryErrors.Unsupported("deletion is disabled in this registry");
        if (!reference.Contains(':'))
        {
            // Spec 1.1: deleting by tag removes the tag only.
            if (!RepositoryName.IsValidTag(reference) || !Storage.Untag(name, reference)) throw RegistryErrors.ManifestUnknown(name, reference);
            Responses.Empty(context.Response, StatusCodes.Status202Accepted);
            return Task.CompletedTask;
        }
        var digest = Names.Digest(reference);
        if (!Storage.HasManifest(name, digest)) throw RegistryErrors.ManifestUnknown(name, reference);
        Digest? subject = SubjectOf(digest);
        Storage.RemoveManifest(name, digest);
        if (subject is { } s) Storage.RemoveReferrer(name, s, digest);
        Responses.Empty(context.Response, StatusCodes.Status202Accepted);
        return Task.CompletedTask;
    }

    private Digest? SubjectOf(Digest digest)
    {
        try
        {
            var bytes = File.ReadAllBytes(Storage.Blobs.PathOf(digest));
            var parsed = ManifestParser.Parse(bytes, null);
            return parsed.Subject is { } s && Digest.TryParse(s.Digest, out var d) ? d : null;
        }
        catch (BerthException)
        {
            return null;
        }
    }

    private void VerifyReferences(string name, ParsedManifest manifest)
    {
        if (manifest.Config is { } config) RequireBlob(name, config);
        foreach (var layer in manifest.Layers)
            if (!layer.HasUrls) RequireBlob(name, layer);
        foreach (var child in manifest.Manifests)
        {
            var digest = Digest.Parse(child.Digest);
            if (!Storage.HasManifest(name, digest))
                throw RegistryErrors.Create(ErrorCode.ManifestBlobUnknown, $"manifest blob unknown: index references manifest {digest}, which is not in {name}");
        }
    }

    private void RequireBlob(string name, Descriptor descriptor)
    {
        var digest = Digest.Parse(descriptor.Digest);
        if (!Storage.IsBlobLinked(name, digest) || Storage.Blobs.SizeOf(digest) is not { } size)
            throw RegistryErrors.Create(ErrorCode.ManifestBlobUnknown, $"manifest blob unknown: blob {digest} is not in {name}");
        if (size != descriptor.Size)
            throw RegistryErrors.ManifestInvalid($"manifest invalid: blob {digest} has {size} bytes, the manifest says {descriptor.Size}");
    }

    private static string ReferrerDescriptor(ParsedManifest manifest, Digest digest, long size)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("mediaType", manifest.MediaType);
            writer.WriteString("digest", digest.ToString());
            writer.WriteNumber("size", size);
            if (manifest.EffectiveArtifactType is { } artifactType) writer.WriteString("artifactType", artifactType);
            if (manifest.AnnotationsJson is { } annotations)
            {
                writer.WritePropertyName("annotations");
                writer.WriteRawValue(annotations);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) throw TooLarge(limit);
        using var memory = new MemoryStream(request.ContentLength is { } n ? (int)n : 4096);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (memory.Length + read > limit) throw TooLarge(limit);
                memory.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return memory.ToArray();
    }

    private static BerthException TooLarge(long limit) =>
        RegistryErrors.Create(ErrorCode.SizeInvalid, $"manifest invalid: larger than the {limit} bytes this registry accepts", StatusCodes.Status413PayloadTooLarge);
}

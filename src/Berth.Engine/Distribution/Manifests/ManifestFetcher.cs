using System.Net;
using System.Security.Cryptography;
using Berth.Engine.Distribution.Http;
using Berth.Oci.Digests;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Manifests;

/// <summary>GET of a manifest by tag or digest with Accept negotiation, read whole (bounded) and verified.</summary>
public static class ManifestFetcher
{
    /// <summary>Manifests larger than this are refused (the OCI spec lets registries stop at 4 MiB).</summary>
    public const int MaxManifestBytes = 4 << 20;

    /// <param name="tagOrDigest">What follows <c>/manifests/</c>.</param>
    /// <param name="displayReference">The reference named in errors.</param>
    public static async Task<ParsedManifest> FetchAsync(RegistrySession session, string tagOrDigest, string displayReference, CancellationToken cancellationToken)
    {
        var uri = session.RepositoryUri("manifests/" + tagOrDigest);
        using var response = await session.SendAsync(target =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, target);
            foreach (string type in ManifestParser.AcceptedMediaTypes) request.Headers.Accept.ParseAdd(type);
            return request;
        }, uri, cancellationToken);
        if (!response.IsSuccessStatusCode) throw await RegistryException.FromResponseAsync(response, cancellationToken);
        if (response.Content.Headers.ContentLength is > MaxManifestBytes)
            throw BerthException.Invalid($"manifest for {displayReference} is larger than {MaxManifestBytes} bytes");

        byte[] bytes = await ReadBoundedAsync(response, displayReference, cancellationToken);
        Digest.TryParse(tagOrDigest, out var asked);
        bool byDigest = asked != default;
        Digest.TryParse(response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null, out var announced);
        var algorithm = byDigest ? asked.Algorithm : announced != default ? announced.Algorithm : "sha256";
        var digest = Digest.FromHash(algorithm, algorithm == "sha512" ? SHA512.HashData(bytes) : SHA256.HashData(bytes));
        if (byDigest && digest != asked)
            throw BerthException.Invalid($"manifest verification failed for digest {asked}");
        if (announced != default && announced != digest)
            throw BerthException.Invalid($"manifest for {displayReference}: the registry announced digest {announced} but the content hashes to {digest}");
        return ManifestParser.Parse(bytes, response.Content.Headers.ContentType?.ToString(), digest, displayReference);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string displayReference, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        int read;
        try
        {
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxManifestBytes)
                    throw BerthException.Invalid($"manifest for {displayReference} is larger than {MaxManifestBytes} bytes");
            }
        }
        catch (IOException e)
        {
            throw new RegistryException($"reading manifest for {displayReference}: {e.Message}", HttpStatusCode.OK, inner: e) { IsTransport = true };
        }
        return buffer.ToArray();
    }
}

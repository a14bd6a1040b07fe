using System.Security.Cryptography;
using Berth.Engine.Distribution.Http;
using Berth.Engine.Distribution.Manifests;
using Berth.Oci.Digests;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Blobs;

/// <summary>Small blobs (image configs) fetched into memory and verified, so nothing is stored before the image is whole.</summary>
public static class BlobBytes
{
    public const long MaxBytes = 32 << 20;

    public static async Task<byte[]> FetchAsync(RegistrySession session, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(descriptor.Digest!);
        if (descriptor.Size > MaxBytes) throw BerthException.Invalid($"blob {digest}: {descriptor.Size} bytes is too large for an image config");
        var uri = session.RepositoryUri("blobs/" + digest);
        using var response = await session.SendAsync(target => new HttpRequestMessage(HttpMethod.Get, target), uri, cancellationToken);
        if (!response.IsSuccessStatusCode) throw await RegistryException.FromResponseAsync(response, cancellationToken);
        byte[] bytes;
        try
        {
            bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new RegistryException($"error pulling blob {digest}: {e.Message}", inner: e) { IsTransport = true };
        }
        var actual = Digest.FromHash(digest.Algorithm, digest.Algorithm == "sha512" ? SHA512.HashData(bytes) : SHA256.HashData(bytes));
        if (actual != digest || bytes.LongLength != descriptor.Size)
            throw BerthException.Invalid($"image config verification failed for digest {digest}");
        return bytes;
    }
}

using System.Security.Cryptography;
using Berth.Oci.Errors;

namespace Berth.Oci.Digests;

/// <summary>A content digest such as <c>sha256:9f86…</c>. Only sha256 and sha512 are accepted.</summary>
public readonly record struct Digest
{
    public string Algorithm { get; }
    public string Hex { get; }

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public override string ToString() => $"{Algorithm}:{Hex}";

    /// <summary>The hex part shortened to 12 characters, as Docker shows IDs.</summary>
    public string Short => Hex[..12];

    public static Digest Sha256(string hex) => Parse("sha256:" + hex);

    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw BerthException.Invalid($"invalid digest \"{value}\"");

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(value)) return false;
        int colon = value.IndexOf(':');
        if (colon <= 0) return false;
        string algorithm = value[..colon], hex = value[(colon + 1)..];
        int expected = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (hex.Length != expected) return false;
        foreach (char c in hex)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        digest = new Digest(algorithm, hex);
        return true;
    }

    public static Digest Of(ReadOnlySpan<byte> content) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static async Task<Digest> OfAsync(Stream content, CancellationToken cancellationToken) =>
        new("sha256", Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken)));

    public static Digest FromHash(string algorithm, byte[] hash) => new(algorithm, Convert.ToHexStringLower(hash));

    public HashAlgorithmName HashAlgorithm => Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
}

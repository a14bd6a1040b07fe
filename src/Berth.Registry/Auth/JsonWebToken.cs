using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Berth.Registry.Auth;

/// <summary>One granted entry of a registry token's <c>access</c> claim.</summary>
public sealed record GrantedAccess(string Type, string Name, IReadOnlyList<string> Actions);

/// <summary>The claims a registry token carries (Docker's token-auth spec: iss, sub, aud, exp, nbf, iat, jti, access).</summary>
public sealed record TokenClaims(string Issuer, string Subject, string Audience, DateTimeOffset NotBefore, DateTimeOffset Expires, IReadOnlyList<GrantedAccess> Access);

/// <summary>RS256 JSON Web Tokens, written and checked with System.Security.Cryptography (no reflection, AOT-safe).</summary>
public sealed class JsonWebToken(RSA key)
{
    private readonly string _keyId = KeyIdOf(key);

    public string Sign(TokenClaims claims)
    {
        var header = Json(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            writer.WriteString("kid", _keyId);
        });
        var payload = Json(writer =>
        {
            writer.WriteString("iss", claims.Issuer);
            writer.WriteString("sub", claims.Subject);
            writer.WriteString("aud", claims.Audience);
            writer.WriteNumber("exp", claims.Expires.ToUnixTimeSeconds());
            writer.WriteNumber("nbf", claims.NotBefore.ToUnixTimeSeconds());
            writer.WriteNumber("iat", claims.NotBefore.ToUnixTimeSeconds());
            writer.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            writer.WriteStartArray("access");
            foreach (var access in claims.Access)
            {
                writer.WriteStartObject();
                writer.WriteString("type", access.Type);
                writer.WriteString("name", access.Name);
                writer.WriteStartArray("actions");
                foreach (var action in access.Actions) writer.WriteStringValue(action);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        });
        string signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The claims of a token this key signed, or null with a reason when it is malformed, forged or out of date.</summary>
    public TokenClaims? Verify(string token, DateTimeOffset now, out string reason)
    {
        reason = "";
        string[] parts = token.Split('.');
        if (parts.Length != 3) { reason = "not a JWT"; return null; }
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (header.RootElement.GetProperty("alg").GetString() != "RS256") { reason = "unsupported algorithm"; return null; }
            byte[] signature = Base64Url.DecodeFromChars(parts[2]);
            if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                reason = "bad signature";
                return null;
            }
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = payload.RootElement;
            var expires = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64());
            var notBefore = root.TryGetProperty("nbf", out var nbf) ? DateTimeOffset.FromUnixTimeSeconds(nbf.GetInt64()) : DateTimeOffset.MinValue;
            // A minute of leeway for clocks that disagree.
            if (now > expires.AddMinutes(1)) { reason = "token expired"; return null; }
            if (now < notBefore.AddMinutes(-1)) { reason = "token not yet valid"; return null; }
            var access = new List<GrantedAccess>();
            if (root.TryGetProperty("access", out var accessElement) && accessElement.ValueKind == JsonValueKind.Array)
                foreach (var entry in accessElement.EnumerateArray())
                    access.Add(new GrantedAccess(entry.GetProperty("type").GetString() ?? "", entry.GetProperty("name").GetString() ?? "",
                        entry.GetProperty("actions").EnumerateArray().Select(a => a.GetString() ?? "").ToList()));
            return new TokenClaims(root.GetProperty("iss").GetString() ?? "", root.TryGetProperty("sub", out var sub) ? sub.GetString() ?? "" : "",
                root.GetProperty("aud").GetString() ?? "", notBefore, expires, access);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            reason = "malformed token";
            return null;
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string KeyIdOf(RSA key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    /// <summary>Loads the PEM private key at <paramref name="path"/>, creating a new RSA-2048 key there (mode 0600) when absent.</summary>
    public static RSA LoadOrCreateKey(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }
        rsa.KeySize = 2048;
        string pem = rsa.ExportPkcs8PrivateKeyPem();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, options))
            file.Write(Encoding.ASCII.GetBytes(pem));
        return rsa;
    }
}

using System.Numerics;
using System.Security.Cryptography;

namespace Berth.Engine.Swarm;

/// <summary>Swarm object IDs and join tokens in swarmkit's shapes: 128 random bits written in base 36.</summary>
public static class SwarmIds
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>A 25-character lower-case base-36 ID, like every swarm object's.</summary>
    public static string NewId() => Base36(RandomNumberGenerator.GetBytes(16), 25);

    /// <summary>SWMTKN-1-&lt;CA digest&gt;-&lt;secret&gt;: the token names the CA it trusts and carries a secret.</summary>
    public static string NewJoinToken(ReadOnlySpan<byte> caCertificateDer) =>
        "SWMTKN-1-" + Base36(SHA256.HashData(caCertificateDer), 50) + "-" + Base36(RandomNumberGenerator.GetBytes(16), 25);

    /// <summary>
    /// Splits a join token into the SHA-256 digest of the CA it names and the whole token (the manager compares whole
    /// tokens); false when the text has not the token's shape.
    /// </summary>
    public static bool TryParseJoinToken(string token, out byte[] caDigest)
    {
        caDigest = [];
        string[] parts = token.Split('-');
        if (parts.Length != 4 || parts[0] != "SWMTKN" || parts[1] != "1" || parts[2].Length != 50 || parts[3].Length != 25) return false;
        if (!parts[2].All(Digits.Contains) || !parts[3].All(Digits.Contains)) return false;
        var value = BigInteger.Zero;
        foreach (char c in parts[2]) value = value * 36 + Digits.IndexOf(c);
        byte[] bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > 32) return false;
        caDigest = new byte[32];
        bytes.CopyTo(caDigest, 32 - bytes.Length);
        return true;
    }

    private static string Base36(ReadOnlySpan<byte> bytes, int width)
    {
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var text = new System.Text.StringBuilder();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 36, out var digit);
            text.Insert(0, Digits[(int)digit]);
        }
        return text.ToString().PadLeft(width, '0');
    }
}

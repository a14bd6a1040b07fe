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

using System.Globalization;

namespace Berth.Api;

/// <summary>Engine API versions ("1.NN") berthd serves, and their parsing and comparison.</summary>
public static class ApiVersions
{
    /// <summary>The version of the spec berthd implements (engine-api-v1.50.yaml).</summary>
    public const string Current = "1.50";

    /// <summary>The oldest version clients may request (Docker 28's minimum).</summary>
    public const string Minimum = "1.24";

    /// <summary>Images' VirtualSize was removed from the API in this version.</summary>
    public const string VirtualSizeRemoved = "1.44";

    /// <summary>Networks' EnableIPv4 was added in this version.</summary>
    public const string EnableIPv4Added = "1.47";

    /// <summary>Parses "1.41" (also "v1.41") into (major, minor).</summary>
    public static bool TryParse(string? text, out ApiVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var span = text.AsSpan();
        if (span[0] is 'v' or 'V')
        {
            span = span[1..];
        }
        var dot = span.IndexOf('.');
        if (dot <= 0
            || !int.TryParse(span[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(span[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }
        version = new ApiVersion(major, minor);
        return true;
    }

    public static ApiVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"invalid API version \"{text}\"");

    /// <summary>Compares two "1.NN" strings numerically (1.9 &lt; 1.10); an unparsable version sorts first.</summary>
    public static int Compare(string? left, string? right)
    {
        var hasLeft = TryParse(left, out var l);
        var hasRight = TryParse(right, out var r);
        if (!hasLeft || !hasRight)
        {
            return hasLeft.CompareTo(hasRight);
        }
        return l.CompareTo(r);
    }

    /// <summary>True when <paramref name="version"/> is older than <paramref name="other"/> (versions.LessThan in Docker).</summary>
    public static bool LessThan(string? version, string other) => Compare(version, other) < 0;

    public static bool GreaterThanOrEqual(string? version, string other) => Compare(version, other) >= 0;

    /// <summary>True when a client may use this version with berthd.</summary>
    public static bool IsSupported(string? version) =>
        TryParse(version, out _) && Compare(version, Minimum) >= 0 && Compare(version, Current) <= 0;
}

/// <summary>A parsed "major.minor" Engine API version.</summary>
public readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    public int CompareTo(ApiVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}

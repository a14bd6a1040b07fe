namespace Berth.Client.Http;

/// <summary>Engine API versions ("1.41") compared numerically, as docker's version negotiation does.</summary>
public static class ApiVersion
{
    /// <summary>The newest API this client speaks (the spec it was written from).</summary>
    public const string ClientMax = "1.50";

    /// <summary>Docker's assumption when a daemon's ping carries no API-Version header.</summary>
    public const string Fallback = "1.24";

    public static int Compare(string a, string b)
    {
        var left = a.Split('.');
        var right = b.Split('.');
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var x = i < left.Length && int.TryParse(left[i], out var l) ? l : 0;
            var y = i < right.Length && int.TryParse(right[i], out var r) ? r : 0;
            if (x != y)
                return x.CompareTo(y);
        }
        return 0;
    }

    /// <summary>The version to use with a daemon announcing <paramref name="server"/>: the lower of the two.</summary>
    public static string Negotiate(string? server)
    {
        if (string.IsNullOrEmpty(server))
            return Fallback;
        return Compare(server, ClientMax) < 0 ? server : ClientMax;
    }

    public static bool AtLeast(string version, string minimum) => Compare(version, minimum) >= 0;
}

namespace Berth.Client.Http;

/// <summary>What a daemon's <c>/_ping</c> headers announce.</summary>
public sealed record PingResult(string? ApiVersion, string? OsType, bool Experimental, string? BuilderVersion)
{
    public static PingResult From(HttpResponseMessage response)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        return new PingResult(Header("API-Version"), Header("OSType"),
            string.Equals(Header("Docker-Experimental"), "true", StringComparison.OrdinalIgnoreCase), Header("Builder-Version"));
    }
}

using System.Globalization;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Distribution.Auth;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>GET /images/search: <c>docker search</c>, answered by the registry the term names (Docker Hub otherwise).</summary>
public static class SearchEndpoints
{
    /// <summary>Docker's registry.DefaultSearchLimit.</summary>
    public const int DefaultLimit = 25;

    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapGet("/images/search", context => Search(context, services));
    }

    private static async Task Search(HttpContext context, DaemonServices services)
    {
        int limit = Limit(Query.String(context, "limit"));
        var filter = ImageSearchFilter.Parse(Filters.From(context));
        var found = await services.Registry.SearchAsync(Query.String(context, "term") ?? "", limit, Credentials(context), context.RequestAborted);
        var results = found.Where(filter.Matches).Select(r => new ImageSearchResult
        {
            Name = r.Name,
            Description = r.Description,
            StarCount = r.StarCount,
            IsOfficial = r.IsOfficial,
            IsAutomated = r.IsAutomated,
        }).ToList();
        await Json.WriteAsync(context, results, ApiJson.Context.ListImageSearchResult);
    }

    /// <summary>Docker reads the limit with strconv.Atoi and lets its error through as a plain (500) one.</summary>
    public static int Limit(string? text)
    {
        if (string.IsNullOrEmpty(text)) return DefaultLimit;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int limit)) return limit;
        string reason = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || text.TrimStart('+', '-').All(char.IsAsciiDigit)
            ? "value out of range" : "invalid syntax";
        throw BerthException.Internal($"strconv.Atoi: parsing \"{text}\": {reason}");
    }

    /// <summary>For a search, an unreadable X-Registry-Auth is no error: Docker searches anonymously then.</summary>
    private static RegistryCredentials Credentials(HttpContext context)
    {
        try
        {
            return RegistryCredentials.FromRegistryAuthHeader(context.Request.Headers["X-Registry-Auth"].FirstOrDefault());
        }
        catch (BerthException)
        {
            return RegistryCredentials.Anonymous;
        }
    }
}

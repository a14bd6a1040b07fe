using Berth.Daemon.Http;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>What the swarm endpoints read from the query string, with dockerd's messages.</summary>
internal static class SwarmQuery
{
    /// <summary>The object version an update is based on (required, a number).</summary>
    public static ulong Version(HttpContext context, string kind)
    {
        string text = Query.String(context, "version") ?? "";
        return ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong version)
            ? version
            : throw BerthException.Invalid($"invalid {kind} version '{text}': strconv.ParseUint: parsing \"{text}\": invalid syntax");
    }

    /// <summary>The filters of a swarm list, refusing unknown keys as swarm's endpoints word it.</summary>
    public static Filters Filters(HttpContext context, params string[] accepted)
    {
        var filters = Http.Filters.From(context);
        filters.Validate(key => $"Invalid filter '{key}'", accepted);
        return filters;
    }
}

using System.Globalization;
using Berth.Daemon.Http;
using Berth.Engine.Distribution.Search;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The filters of GET /images/search as Docker's daemon reads them: <c>is-official</c> and <c>is-automated</c> take
/// exactly one of "true" or "false", <c>stars</c> takes integers (the largest wins), anything else is refused.
/// </summary>
public sealed record ImageSearchFilter(bool? Official, bool? Automated, int? MinimumStars)
{
    private static readonly string[] Accepted = ["is-automated", "is-official", "stars"];

    public static ImageSearchFilter Parse(Filters filters)
    {
        foreach (string key in filters.Keys)
            if (!Accepted.Contains(key)) throw Invalid(key);
        int? stars = null;
        if (filters.Has("stars"))
        {
            stars = 0;
            foreach (string value in filters.Get("stars"))
            {
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int minimum)) throw Invalid("stars=" + value);
                stars = Math.Max(stars.Value, minimum);
            }
        }
        return new ImageSearchFilter(Flag(filters, "is-official"), Flag(filters, "is-automated"), stars);
    }

    public bool Matches(RegistrySearchResult result) =>
        (Official is not { } official || result.IsOfficial == official)
        && (Automated is not { } automated || result.IsAutomated == automated)
        && (MinimumStars is not { } stars || result.StarCount >= stars);

    private static bool? Flag(Filters filters, string key)
    {
        if (!filters.Has(key)) return null;
        var values = filters.Get(key);
        if (values is ["true"]) return true;
        if (values is ["false"]) return false;
        // Go prints the value list as [a b].
        throw Invalid($"{key}=[{string.Join(' ', values.Order(StringComparer.Ordinal))}]");
    }

    // The reference dockerd (20.10) capitalises this message for search, unlike its other filters.
    private static BerthException Invalid(string filter) => BerthException.Invalid($"Invalid filter '{filter}'");
}

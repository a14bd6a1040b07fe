using System.Globalization;
using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>The spec's <c>n</c>/<c>last</c> pagination over a lexically sorted list, with a <c>Link: rel="next"</c> header.</summary>
public static class Pagination
{
    public static List<string> Apply(HttpContext context, List<string> sorted, string basePath)
    {
        var query = context.Request.Query;
        string? last = query["last"];
        string? nText = query["n"];
        int start = 0;
        if (!string.IsNullOrEmpty(last))
        {
            int index = sorted.BinarySearch(last, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }
        int available = sorted.Count - start;
        if (string.IsNullOrEmpty(nText)) return sorted.GetRange(start, available);
        if (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw RegistryErrors.Create(ErrorCode.PaginationNumberInvalid, $"invalid number of results requested: \"{nText}\"");
        int take = Math.Min(n, available);
        var page = sorted.GetRange(start, take);
        if (take < available && take > 0)
            context.Response.Headers.Link = $"<{basePath}?n={n}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        return page;
    }
}

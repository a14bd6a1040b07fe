using Berth.Oci.Errors;

namespace Berth.Daemon.Http;

/// <summary>Query-string values read the way Docker's API reads them.</summary>
public static class Query
{
    public static string? String(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>Docker's boolValue: present and not one of "", "0", "no", "false", "none".</summary>
    public static bool Bool(HttpContext context, string name, bool fallback = false)
    {
        if (!context.Request.Query.TryGetValue(name, out var values)) return fallback;
        string value = values.ToString().ToLowerInvariant();
        return value is not ("" or "0" or "no" or "false" or "none");
    }

    public static long? Long(HttpContext context, string name)
    {
        string? value = String(context, name);
        if (string.IsNullOrEmpty(value)) return null;
        return long.TryParse(value, out var number) ? number : throw BerthException.Invalid($"invalid value for {name}: {value}");
    }

    public static int? Int(HttpContext context, string name)
    {
        var value = Long(context, name);
        return value is null ? null : checked((int)value.Value);
    }
}

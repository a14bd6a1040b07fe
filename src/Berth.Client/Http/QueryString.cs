using System.Text;

namespace Berth.Client.Http;

/// <summary>
/// Query parameters encoded as Go's <c>url.Values.Encode</c> does (keys sorted, <c>+</c> for spaces),
/// so requests look like the docker CLI's on the wire.
/// </summary>
public sealed class QueryString
{
    private readonly SortedDictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public QueryString Add(string key, string? value)
    {
        if (value is null)
            return this;
        if (!_values.TryGetValue(key, out var list))
            _values[key] = list = [];
        list.Add(value);
        return this;
    }

    public QueryString Add(string key, bool value) => value ? Add(key, "1") : this;

    public QueryString AddIfNotEmpty(string key, string? value) => string.IsNullOrEmpty(value) ? this : Add(key, value);

    public bool IsEmpty => _values.Count == 0;

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var (key, values) in _values)
        {
            foreach (var value in values)
            {
                if (builder.Length > 0)
                    builder.Append('&');
                builder.Append(Escape(key)).Append('=').Append(Escape(value));
            }
        }
        return builder.ToString();
    }

    public static string Escape(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}

using System.Text.Json.Nodes;

namespace Berth.Client.Http;

/// <summary>
/// API filters (<c>{"label":{"a=b":true}}</c>) built from docker's <c>-f key=value</c> flags.
/// </summary>
public sealed class Filters
{
    private readonly SortedDictionary<string, SortedSet<string>> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public Filters Add(string key, string value)
    {
        if (!_values.TryGetValue(key, out var set))
            _values[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(value);
        return this;
    }

    /// <summary>Parses docker's <c>key=value</c> filter flag; docker refuses a flag without '='.</summary>
    public static Filters Parse(IEnumerable<string> flags)
    {
        var filters = new Filters();
        foreach (var flag in flags)
        {
            var eq = flag.IndexOf('=');
            if (eq < 0)
                throw new FormatException($"bad format of filter (expected name=value)");
            filters.Add(flag[..eq].Trim().ToLowerInvariant(), flag[(eq + 1)..].Trim());
        }
        return filters;
    }

    public IReadOnlyCollection<string> Get(string key) => _values.TryGetValue(key, out var set) ? set : [];

    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var (key, values) in _values)
        {
            var inner = new JsonObject();
            foreach (var value in values)
                inner[value] = true;
            root[key] = inner;
        }
        return Json.Serialize(root);
    }
}

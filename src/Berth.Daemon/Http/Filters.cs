using System.Text.Json;
using Berth.Oci.Errors;

namespace Berth.Daemon.Http;

/// <summary>
/// The <c>filters</c> query parameter: JSON of <c>{"key": ["v1", "v2"]}</c> or the older <c>{"key": {"v1": true}}</c>.
/// </summary>
public sealed class Filters
{
    private readonly Dictionary<string, List<string>> _values;

    private Filters(Dictionary<string, List<string>> values) => _values = values;

    public static Filters Parse(string? json)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return new Filters(values);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw BerthException.Invalid("invalid filter: not an object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var list = new List<string>();
                if (property.Value.ValueKind == JsonValueKind.Array)
                    list.AddRange(property.Value.EnumerateArray().Select(v => v.GetString() ?? ""));
                else if (property.Value.ValueKind == JsonValueKind.Object)
                    list.AddRange(property.Value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.False).Select(p => p.Name));
                else throw BerthException.Invalid($"invalid filter '{property.Name}'");
                values[property.Name] = list;
            }
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"invalid filter: {e.Message}");
        }
        return new Filters(values);
    }

    public static Filters From(HttpContext context) => Parse(Query.String(context, "filters"));

    public bool Has(string key) => _values.ContainsKey(key);

    public IEnumerable<string> Keys => _values.Keys;

    public IReadOnlyList<string> Get(string key) => _values.TryGetValue(key, out var list) ? list : [];

    /// <summary>Refuses keys the endpoint doesn't know, with Docker's message.</summary>
    public void Validate(params string[] accepted) => Validate(key => $"invalid filter '{key}'", accepted);

    /// <summary>Refuses keys the endpoint doesn't know, worded as that endpoint words it (swarm's say "Invalid filter").</summary>
    public void Validate(Func<string, string> message, params string[] accepted)
    {
        foreach (var key in _values.Keys)
            if (!accepted.Contains(key)) throw BerthException.Invalid(message(key));
    }

    /// <summary>OR within one key: true when the key is absent or any value matches.</summary>
    public bool Match(string key, Func<string, bool> predicate) => !_values.TryGetValue(key, out var list) || list.Count == 0 || list.Any(predicate);

    /// <summary>Docker's <c>label!</c> filter: true when none of the <c>key</c> or <c>key=value</c> values holds.</summary>
    public bool MatchNoLabels(string key, IReadOnlyDictionary<string, string>? labels) =>
        !_values.TryGetValue(key, out var list) || !list.Any(wanted => HasLabel(wanted, labels));

    private static bool HasLabel(string wanted, IReadOnlyDictionary<string, string>? labels)
    {
        int eq = wanted.IndexOf('=');
        string name = eq < 0 ? wanted : wanted[..eq];
        return labels is not null && labels.TryGetValue(name, out var actual) && (eq < 0 || actual == wanted[(eq + 1)..]);
    }

    /// <summary>Docker's label filter: every <c>key</c> or <c>key=value</c> must hold (AND across values).</summary>
    public bool MatchLabels(string key, IReadOnlyDictionary<string, string>? labels)
    {
        return !_values.TryGetValue(key, out var list) || list.All(wanted => HasLabel(wanted, labels));
    }
}

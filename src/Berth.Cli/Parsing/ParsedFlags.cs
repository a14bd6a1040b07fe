using System.Globalization;
using Berth.GoText;

namespace Berth.Cli.Parsing;

/// <summary>The flags and positional arguments of one command line, after <see cref="FlagSet.Parse"/>.</summary>
public sealed class ParsedFlags
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    /// <summary>True when <c>--help</c> (or <c>-h</c> where free) was given.</summary>
    public bool HelpRequested { get; internal set; }

    internal void Set(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
            _values[name] = list = [];
        list.Add(value);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public bool Bool(string name, bool defaultValue = false)
        => _values.TryGetValue(name, out var list) ? GoBool.Parse(list[^1]) ?? defaultValue : defaultValue;

    /// <summary>A bool flag that was given, or null (for flags whose default depends on other flags, like --sig-proxy).</summary>
    public bool? OptionalBool(string name) => _values.TryGetValue(name, out var list) ? GoBool.Parse(list[^1]) : null;

    public string? String(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public string StringOr(string name, string defaultValue) => String(name) ?? defaultValue;

    public IReadOnlyList<string> List(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public long? Int(string name) => _values.TryGetValue(name, out var list) ? long.Parse(list[^1], CultureInfo.InvariantCulture) : null;

    public TimeSpan? Duration(string name) => _values.TryGetValue(name, out var list) ? GoDuration.Parse(list[^1]) : null;

}

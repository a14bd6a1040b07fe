using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.GoText;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// Typed reads of the loader's raw tree, where every scalar is a string (YAML's <c>8080</c> and <c>true</c> arrive as
/// "8080" and "true"). Each read names the field's path in its error, as Compose's validation does.
/// </summary>
internal static class RawNodes
{
    public static ComposeException Invalid(string path, string what) => new($"{path}: {what}");

    /// <summary>A scalar as text; null for YAML null. Numbers and booleans from a hand-built tree are accepted too.</summary>
    public static string? String(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue value => value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
        JsonObject => throw Invalid(path, "must be a string, not a mapping"),
        _ => throw Invalid(path, "must be a string, not a sequence"),
    };

    public static string RequiredString(JsonNode? node, string path) =>
        String(node, path) ?? throw Invalid(path, "must be a string");

    public static JsonObject? Mapping(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonObject mapping => mapping,
        _ => throw Invalid(path, "must be a mapping"),
    };

    /// <summary>YAML 1.1's booleans as well as 1.2's, since compose files are often written with yes/no.</summary>
    public static bool? Bool(JsonNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
            return null;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "y" or "on" => true,
            "false" or "no" or "n" or "off" => false,
            _ => throw Invalid(path, $"invalid boolean \"{text}\""),
        };
    }

    public static long? Long(JsonNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
            return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(path, $"invalid integer \"{text}\"");
    }

    public static int? Int(JsonNode? node, string path)
    {
        var value = Long(node, path);
        if (value is null)
            return null;
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw Invalid(path, $"integer out of range \"{value}\"");
    }

    public static double? Double(JsonNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
            return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(path, $"invalid number \"{text}\"");
    }

    public static long? Bytes(JsonNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
            return null;
        return GoUnits.TryParseRamInBytes(text, out var bytes) ? bytes : throw Invalid(path, $"invalid size \"{text}\"");
    }

    public static TimeSpan? Duration(JsonNode? node, string path)
    {
        var text = String(node, path);
        if (text is null)
            return null;
        return GoDuration.TryParse(text, out var duration, out _)
            ? duration
            : throw Invalid(path, $"invalid duration \"{text}\"");
    }

    /// <summary>A sequence of strings; a lone string counts as a one-item list (dns, tmpfs, env_file ...).</summary>
    public static List<string> StringOrList(JsonNode? node, string path)
    {
        switch (node)
        {
            case null:
                return [];
            case JsonArray items:
                var list = new List<string>(items.Count);
                for (var i = 0; i < items.Count; i++)
                    list.Add(RequiredString(items[i], $"{path}.{i}"));
                return list;
            case JsonValue:
                return [RequiredString(node, path)];
            default:
                throw Invalid(path, "must be a string or a list of strings");
        }
    }

    /// <summary>
    /// A list of "KEY=VALUE" strings or a mapping (environment, labels, args, sysctls). A list item without "=" and
    /// a mapping key whose value is null both give a null value: the caller decides what that means.
    /// </summary>
    public static Dictionary<string, string?> ListOrDict(JsonNode? node, string path)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (node)
        {
            case null:
                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    var item = RequiredString(items[i], $"{path}.{i}");
                    var equals = item.IndexOf('=');
                    if (equals < 0)
                        result[item] = null;
                    else
                        result[item[..equals]] = item[(equals + 1)..];
                }
                break;
            case JsonObject mapping:
                foreach (var (key, value) in mapping)
                    result[key] = String(value, $"{path}.{key}");
                break;
            default:
                throw Invalid(path, "must be a mapping or a list of KEY=VALUE strings");
        }
        return result;
    }

    /// <summary>Like <see cref="ListOrDict"/>, with a missing value read as "" (labels, driver options).</summary>
    public static Dictionary<string, string> StringMap(JsonNode? node, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in ListOrDict(node, path))
            result[key] = value ?? "";
        return result;
    }

    /// <summary>Refuses keys the compose specification does not define for this kind of mapping, as Compose does.</summary>
    public static void CheckKeys(JsonObject mapping, IReadOnlySet<string> allowed, string path)
    {
        foreach (var (key, _) in mapping)
        {
            if (!allowed.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
                throw new ComposeException($"{path} Additional property {key} is not allowed");
        }
    }
}

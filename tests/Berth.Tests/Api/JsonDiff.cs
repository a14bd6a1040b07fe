using System.Text.Json.Nodes;

namespace Berth.Tests.Api;

/// <summary>Structural comparison of two JSON documents; reports paths that differ, are missing or are extra.</summary>
internal static class JsonDiff
{
    public static List<string> Compare(string expected, string actual)
    {
        var differences = new List<string>();
        Walk(JsonNode.Parse(expected), JsonNode.Parse(actual), "$", differences);
        return differences;
    }

    private static void Walk(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (name, value) in e)
                {
                    if (!a.ContainsKey(name))
                    {
                        differences.Add($"missing {path}.{name}");
                        continue;
                    }
                    Walk(value, a[name], $"{path}.{name}", differences);
                }
                foreach (var (name, _) in a)
                {
                    if (!e.ContainsKey(name))
                    {
                        differences.Add($"extra {path}.{name}");
                    }
                }
                break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    Walk(e[i], a[i], $"{path}[{i}]", differences);
                }
                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"changed {path}: {expected?.ToJsonString() ?? "null"} -> {actual?.ToJsonString() ?? "null"}");
                }
                break;
        }
    }
}

using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>A service's <c>healthcheck</c>: a string test runs in a shell, <c>disable: true</c> turns the image's off.</summary>
internal static class HealthCheckSyntax
{
    private static readonly HashSet<string> Keys =
        ["test", "interval", "timeout", "start_period", "start_interval", "retries", "disable"];

    public static HealthCheckConfig? Read(JsonNode? node, string path)
    {
        var mapping = RawNodes.Mapping(node, path);
        if (mapping is null)
            return null;
        RawNodes.CheckKeys(mapping, Keys, path);

        var disable = RawNodes.Bool(mapping["disable"], $"{path}.disable") ?? false;
        IReadOnlyList<string>? test = mapping["test"] switch
        {
            null => null,
            JsonArray => RawNodes.StringOrList(mapping["test"], $"{path}.test"),
            var text => ["CMD-SHELL", RawNodes.RequiredString(text, $"{path}.test")],
        };
        if (test is ["NONE", ..])
            disable = true;
        if (disable)
            test = ["NONE"];
        return new HealthCheckConfig
        {
            Test = test,
            Interval = RawNodes.Duration(mapping["interval"], $"{path}.interval"),
            Timeout = RawNodes.Duration(mapping["timeout"], $"{path}.timeout"),
            StartPeriod = RawNodes.Duration(mapping["start_period"], $"{path}.start_period"),
            StartInterval = RawNodes.Duration(mapping["start_interval"], $"{path}.start_interval"),
            Retries = RawNodes.Int(mapping["retries"], $"{path}.retries"),
            Disable = disable,
        };
    }
}

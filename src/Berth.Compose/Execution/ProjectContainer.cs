using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Client;

namespace Berth.Compose.Execution;

/// <summary>A container of the project as <c>GET /containers/json</c> lists it, with Compose's labels read.</summary>
/// <param name="State">created, running, paused, restarting, removing, exited or dead.</param>
/// <param name="Health">healthy, unhealthy, starting, or "" without a health check (read from the status text).</param>
/// <param name="ExitCode">The exit code of an exited container (read from the status text), else 0.</param>
/// <param name="Raw">The daemon's list entry.</param>
public sealed partial record ProjectContainer(
    string Id,
    string Name,
    string Service,
    int Number,
    string State,
    string Status,
    string Image,
    string Command,
    long Created,
    JsonArray Ports,
    string Health,
    int ExitCode,
    bool OneOff,
    JsonObject Raw)
{
    public bool IsRunning => State is "running" or "restarting" or "paused";

    public string? Label(string key) => Raw.Obj("Labels") is { } labels && labels[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static ProjectContainer FromListEntry(JsonObject entry)
    {
        var labels = entry.Obj("Labels");
        var names = entry.Strings("Names");
        string status = entry.Str("Status");
        int.TryParse(labels.Str(ComposeLabels.ContainerNumber), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number);
        return new ProjectContainer(
            Id: entry.Str("Id"),
            Name: names.Count > 0 ? names[0].TrimStart('/') : "",
            Service: labels.Str(ComposeLabels.Service),
            Number: number,
            State: entry.Str("State"),
            Status: status,
            Image: entry.Str("Image"),
            Command: entry.Str("Command"),
            Created: entry.Long("Created"),
            Ports: entry.Arr("Ports") ?? [],
            Health: HealthOf(entry, status),
            ExitCode: ExitCodeOf(status),
            OneOff: labels.Str(ComposeLabels.OneOff) == "True",
            Raw: entry);
    }

    private static string HealthOf(JsonObject entry, string status)
    {
        // Newer daemons list the health itself; older ones only show it in the status text.
        if (entry.Obj("Health").Str("Status") is { Length: > 0 } listed)
            return listed == "none" ? "" : listed;
        if (status.Contains("(healthy)", StringComparison.Ordinal))
            return "healthy";
        if (status.Contains("(unhealthy)", StringComparison.Ordinal))
            return "unhealthy";
        return status.Contains("(health: starting)", StringComparison.Ordinal) ? "starting" : "";
    }

    private static int ExitCodeOf(string status)
    {
        var match = ExitedPattern().Match(status);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"^Exited \((-?\d+)\)")]
    private static partial Regex ExitedPattern();
}

using System.Text.Json.Nodes;

namespace Berth.Compose.Execution;

/// <summary>
/// Where the runner tells what it does, so the CLI can print Compose's lines (" Container proj-web-1  Started").
/// </summary>
public interface IComposeProgress
{
    /// <summary>A step on one object. <paramref name="kind"/> is Container, Network, Volume, Image or Service.</summary>
    void Report(string kind, string name, string status);

    /// <summary>A warning Compose prints and goes on (orphans, a scaled service with a fixed name ...).</summary>
    void Warn(string message);

    /// <summary>
    /// One message of a daemon stream (build output, pull or push progress) for the object named; the CLI may print
    /// it. Ignored by default.
    /// </summary>
    void DaemonMessage(string kind, string name, JsonNode message) { }
}

/// <summary>A progress sink that says nothing (tests, quiet modes).</summary>
public sealed class SilentProgress : IComposeProgress
{
    public static readonly SilentProgress Instance = new();

    public void Report(string kind, string name, string status) { }

    public void Warn(string message) { }
}

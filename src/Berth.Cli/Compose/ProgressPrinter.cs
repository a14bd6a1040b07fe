using System.Text.Json.Nodes;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose;

/// <summary>
/// Compose's plain progress output on stderr: one line per step of each resource (<c> Container p-web-1  Started</c>),
/// and warnings as <c>WARN[0000] ...</c> lines. A build's own output (<c>Step 1/3 : FROM ...</c>) goes to stdout, as
/// <c>docker build</c> prints it.
/// </summary>
public sealed class ProgressPrinter(TextWriter output, TextWriter err, bool quiet) : IComposeProgress
{
    private readonly Lock _gate = new();

    public void Report(string kind, string name, string status)
    {
        if (quiet)
            return;
        lock (_gate)
            err.Write($" {kind} {name}  {status}\n");
    }

    public void Warn(string message)
    {
        lock (_gate)
            err.Write($"WARN[0000] {message}\n");
    }

    public void DaemonMessage(string kind, string name, JsonNode message)
    {
        if (quiet || kind != "Service" || message["stream"] is not JsonValue stream || !stream.TryGetValue<string>(out var text))
            return;
        lock (_gate)
        {
            output.Write(text);
            output.Flush();
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Streams;
using Berth.Cli.Terminal;

namespace Berth.Cli.Output;

/// <summary>
/// Renders a pull or push stream as the docker CLI does. On a terminal every layer keeps a line of its own that is
/// rewritten in place (cursor up, clear, write, cursor down) with its progress bar; elsewhere byte progress is left out
/// and each state change is a plain "id: status" line. A message without a layer id starts a new block of lines.
/// </summary>
public sealed class ProgressRenderer(TextWriter output, bool terminal)
{
    private const char Escape = '\x1b';
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    // A terminal that reports no size (a pty nobody sized) is 0 columns wide to docker too: no bar.
    private readonly int _width = terminal ? NativeTerminal.GetSize(1)?.Columns ?? 0 : 200;

    /// <summary>Prints (unless quiet) and returns every message; an error message ends the stream as an exception.</summary>
    public async Task<List<JsonObject>> RenderAsync(Stream messages, bool quiet, CancellationToken cancellation)
    {
        var all = new List<JsonObject>();
        await foreach (var node in JsonMessageReader.ReadAllAsync(messages, cancellation))
        {
            if (node is not JsonObject message) continue;
            all.Add(message);
            if (JsonMessageReader.ErrorOf(message) is { } error)
                throw new JsonMessageException(error.Message);
            if (!quiet) Render(message);
        }
        output.Flush();
        return all;
    }

    /// <summary>Renders one message (for streams that mix progress with other messages, like a build's).</summary>
    public void Render(JsonObject message)
    {
        string id = message.Str("id"), status = message.Str("status");
        bool hasProgress = message["progressDetail"] is JsonObject;
        string bar = hasProgress ? ProgressText(message) : "";
        if (!terminal)
        {
            if (bar.Length > 0 || (status.Length == 0 && message.Str("stream").Length == 0)) return;
            output.Write(id.Length > 0 ? $"{id}: {status}\n" : $"{status}\n");
            output.Flush();
            return;
        }
        if (message.Str("stream") is { Length: > 0 } stream)
        {
            _lines.Clear();
            output.Write(stream);
            output.Flush();
            return;
        }
        if (status.Length == 0 && !hasProgress) return;
        int up = 0;
        if (id.Length > 0 && hasProgress)
        {
            if (!_lines.TryGetValue(id, out int line))
            {
                line = _lines.Count;
                _lines[id] = line;
                output.Write('\n');
            }
            up = _lines.Count - line;
            output.Write($"{Escape}[{up}A");
        }
        else
        {
            _lines.Clear();
        }
        if (hasProgress) output.Write($"{Escape}[2K\r");
        if (id.Length > 0) output.Write($"{id}: ");
        output.Write(hasProgress ? $"{status} {bar}\r" : $"{status}\n");
        if (up > 0) output.Write($"{Escape}[{up}B");
        output.Flush();
    }

    /// <summary>
    /// Docker's JSONProgress.String: the bar only on a terminal wider than 110 columns, then current/total in decimal
    /// units; nothing for an empty progressDetail.
    /// </summary>
    private string ProgressText(JsonObject message)
    {
        if (message.Obj("progressDetail") is not { } detail) return "";
        long current = detail["current"] is JsonValue c && c.TryGetValue(out long cv) ? cv : 0;
        long total = detail["total"] is JsonValue t && t.TryGetValue(out long tv) ? tv : 0;
        if (current <= 0 && total <= 0) return "";
        string currentText = HumanUnits.HumanSize(current, 4).PadLeft(8);
        if (total <= 0) return currentText;
        int filled = Math.Min(50, (int)(current * 100.0 / total) / 2);
        string bar = _width > 110 ? $"[{new string('=', filled)}>{new string(' ', 50 - filled)}] " : "";
        return bar + (current > total ? currentText : $"{currentText}/{HumanUnits.HumanSize(total, 4)}");
    }
}

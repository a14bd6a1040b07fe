using System.Globalization;
using System.Text;
using Berth.Client;
using Berth.Client.Streams;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class EventsCommand
{
    public static readonly CommandSpec Spec = new("events", "[OPTIONS]", "Get real time events from the server",
    [
        FilterFlag.Spec("Filter output based on conditions provided"),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.String("since", null, "Show all events created since timestamp"),
        FlagSpec.String("until", null, "Stream events until this timestamp"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var now = DateTimeOffset.UtcNow;
        var format = flags.String("format");
        IOutputTemplate? template = format is null or "" ? null
            : OutputTemplates.Parse(OutputTemplates.Unescape(format == "json" ? "{{json .}}" : format));
        var since = flags.String("since") is { } s ? Timestamps.ToApi(s, now) : null;
        var until = flags.String("until") is { } u ? Timestamps.ToApi(u, now) : null;
        await using var stream = await context.Client.EventsAsync(since, until, FilterFlag.From(flags), context.Cancellation);
        await foreach (var message in JsonMessageReader.ReadAllAsync(stream, context.Cancellation))
        {
            context.Out.Write(template is null ? Describe(message) : template.Execute(message) + "\n");
            context.FlushOut();
        }
        return 0;
    }

    /// <summary>docker's default event line: time, type, action, actor ID, and sorted attributes.</summary>
    public static string Describe(System.Text.Json.Nodes.JsonNode message)
    {
        var text = new StringBuilder();
        var timeNano = message.Long("timeNano");
        var time = message.Long("time");
        if (timeNano != 0)
            text.Append(FormatNano(timeNano)).Append(' ');
        else if (time != 0)
            text.Append(FormatNano(time * 1_000_000_000)).Append(' ');
        var actor = message.Obj("Actor");
        text.Append(message.Str("Type")).Append(' ').Append(message.Str("Action")).Append(' ').Append(actor.Str("ID"));
        if (actor.Obj("Attributes") is { Count: > 0 } attributes)
        {
            var pairs = attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => $"{a.Key}={(a.Value as System.Text.Json.Nodes.JsonValue)?.ToString() ?? ""}");
            text.Append(" (").Append(string.Join(", ", pairs)).Append(')');
        }
        return text.Append('\n').ToString();
    }

    /// <summary>Go's RFC3339NanoFixed in the local zone: nine fraction digits, "Z" for UTC.</summary>
    public static string FormatNano(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000, out var nanos);
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).ToLocalTime();
        var zone = time.Offset == TimeSpan.Zero ? "Z" : time.ToString("zzz", CultureInfo.InvariantCulture);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("000000000", CultureInfo.InvariantCulture) + zone;
    }
}

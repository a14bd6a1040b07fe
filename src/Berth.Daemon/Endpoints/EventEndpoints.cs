using System.Globalization;
using System.Text.Json;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Events;
using Berth.GoText;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>GET /events: recent events since a time, then the live stream until a time or until the client leaves.</summary>
public static class EventEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapGet("/events", async context =>
        {
            var filters = Filters.From(context);
            filters.Validate("container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret", "service", "type", "volume", "config");
            var now = DateTimeOffset.UtcNow;
            long? since = ParseTime(Query.String(context, "since"), now);
            long? until = ParseTime(Query.String(context, "until"), now);
            using var subscription = services.Events.Subscribe(since);
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            if (until is { } end)
            {
                long waitNanos = end - (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
                stop.CancelAfter(TimeSpan.FromTicks(Math.Max(0, waitNanos / 100)));
            }
            try
            {
                // The replay is written whole, even when "until" has already passed: only the live part waits on it.
                foreach (var past in subscription.Past)
                {
                    if (until is { } u && past.TimeNano > u) return;
                    if (Matches(past, filters)) await WriteAsync(context, past, context.RequestAborted);
                }
                await foreach (var live in subscription.Live.ReadAllAsync(stop.Token))
                {
                    if (until is { } u && live.TimeNano > u) return;
                    if (Matches(live, filters)) await WriteAsync(context, live, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // until reached or client gone: the stream simply ends
            }
        });
    }

    private static async Task WriteAsync(HttpContext context, EngineEvent engineEvent, CancellationToken cancellationToken)
    {
        var message = ToMessage(engineEvent);
        await Json.WriteLineAsync(context.Response.Body, message, ApiJson.Context.EventMessage, Json.Lf, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    public static EventMessage ToMessage(EngineEvent e)
    {
        bool legacy = e.Type is "container" or "image";
        return new EventMessage
        {
            Status = legacy ? e.Action : null,
            Id = legacy ? e.ActorId : null,
            From = e.Type == "container" && e.Attributes.TryGetValue("image", out var image) ? image : null,
            Type = e.Type,
            Action = e.Action,
            Actor = new EventActor { ID = e.ActorId, Attributes = new Dictionary<string, string>(e.Attributes) },
            Scope = ScopeOf(e),
            Time = e.TimeNano / 1_000_000_000,
            TimeNano = e.TimeNano,
        };
    }

    /// <summary>The swarm's objects are reported in the swarm's scope, everything else in this engine's.</summary>
    private static string ScopeOf(EngineEvent e) => e.Type is "node" or "service" or "secret" or "config" ? "swarm" : "local";

    private static bool Matches(EngineEvent e, Filters filters)
    {
        if (!filters.Match("type", t => t == e.Type)) return false;
        if (!filters.Match("event", a => a == e.Action || e.Action.StartsWith(a + ":", StringComparison.Ordinal))) return false;
        if (!filters.Match("scope", s => s == ScopeOf(e))) return false;
        if (!filters.MatchLabels("label", e.Attributes)) return false;
        e.Attributes.TryGetValue("name", out var name);
        if (filters.Has("container") && (e.Type != "container" || !filters.Match("container", c => c == name || e.ActorId.StartsWith(c, StringComparison.Ordinal)))) return false;
        if (filters.Has("image"))
        {
            string? image = e.Type == "image" ? e.ActorId : e.Attributes.GetValueOrDefault("image");
            if (!filters.Match("image", i => i == image || i == name || (image is not null && image.StartsWith(i + ":", StringComparison.Ordinal)))) return false;
        }
        foreach (var type in new[] { "network", "volume", "daemon" })
            if (filters.Has(type) && (e.Type != type || !filters.Match(type, v => v == e.ActorId || v == name))) return false;
        return true;
    }

    /// <summary>Docker's time forms: unix seconds (with optional fraction), RFC 3339, or a duration before now ("10m").</summary>
    public static long? ParseTime(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            // Clients say "from the beginning" and "forever" with the extremes of their own time types (Docker.DotNet
            // sends DateTime.MinValue and MaxValue as seconds): beyond ~292 years either way, read the nanosecond
            // range's end.
            decimal nanos = seconds * 1_000_000_000m;
            return nanos >= long.MaxValue ? long.MaxValue : nanos <= long.MinValue ? long.MinValue : (long)nanos;
        }
        if (Berth.Api.ApiTime.TryParse(text, out var time)) return (time - DateTimeOffset.UnixEpoch).Ticks * 100;
        if (GoDuration.TryParse(text, out var ago, out _)) return (now - ago - DateTimeOffset.UnixEpoch).Ticks * 100;
        throw BerthException.Invalid($"failed to parse value as time or duration: \"{text}\"");
    }
}

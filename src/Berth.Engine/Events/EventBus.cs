using System.Threading.Channels;

namespace Berth.Engine.Events;

/// <summary>
/// Publishes engine events to live subscribers and keeps the most recent ones, so that <c>/events?since=</c> can
/// replay what happened shortly before a client connected (Docker keeps a similar bounded history).
/// </summary>
public sealed class EventBus
{
    private const int HistorySize = 1024;
    private readonly object _gate = new();
    private readonly Queue<EngineEvent> _history = new();
    private readonly List<Channel<EngineEvent>> _subscribers = [];
    private long _published;

    /// <summary>Events published since the daemon started (metrics' engine_daemon_events_total).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Clients following the event stream right now.</summary>
    public int Subscribers
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null)
    {
        long now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        var engineEvent = new EngineEvent(type, action, actorId, attributes ?? new Dictionary<string, string>(), now);
        Interlocked.Increment(ref _published);
        lock (_gate)
        {
            _history.Enqueue(engineEvent);
            if (_history.Count > HistorySize) _history.Dequeue();
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(engineEvent);
        }
    }

    /// <summary>
    /// Returns the buffered events at or after <paramref name="sinceNano"/> and a live feed of everything after them,
    /// with no gap or duplicate between the two. Dispose the subscription to stop the feed.
    /// </summary>
    public Subscription Subscribe(long? sinceNano)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            var past = sinceNano is { } since ? _history.Where(e => e.TimeNano >= since).ToList() : [];
            _subscribers.Add(channel);
            return new Subscription(this, channel, past);
        }
    }

    private void Unsubscribe(Channel<EngineEvent> channel)
    {
        lock (_gate) _subscribers.Remove(channel);
        channel.Writer.TryComplete();
    }

    public sealed class Subscription(EventBus bus, Channel<EngineEvent> channel, IReadOnlyList<EngineEvent> past) : IDisposable
    {
        public IReadOnlyList<EngineEvent> Past { get; } = past;
        public ChannelReader<EngineEvent> Live => channel.Reader;
        public void Dispose() => bus.Unsubscribe(channel);
    }
}

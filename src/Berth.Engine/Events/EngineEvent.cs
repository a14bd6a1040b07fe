namespace Berth.Engine.Events;

/// <summary>Something that happened to an object (container, image, network, volume, daemon), as Docker reports it.</summary>
public sealed record EngineEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, long TimeNano)
{
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeNano / 1_000_000);
}

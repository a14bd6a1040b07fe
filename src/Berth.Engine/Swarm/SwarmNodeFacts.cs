namespace Berth.Engine.Swarm;

/// <summary>What the daemon knows about the machine it runs on and reports in the swarm's node description.</summary>
public sealed record SwarmNodeFacts(string Hostname, string EngineVersion, long NanoCpus, long MemoryBytes);

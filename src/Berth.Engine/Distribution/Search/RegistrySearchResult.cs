namespace Berth.Engine.Distribution.Search;

/// <summary>One repository a registry's v1 search API found (Docker Hub's result shape).</summary>
public sealed record RegistrySearchResult(string Name, string Description, int StarCount, bool IsOfficial, bool IsAutomated);

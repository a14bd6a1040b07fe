using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client.Build;

/// <summary>
/// The options of <c>POST /build</c> for the classic builder, as the docker client's ImageBuildOptions; <see cref="ToQuery"/>
/// sends them as docker does (defaults left out, so the daemon's own defaults apply).
/// </summary>
public sealed record ImageBuildOptions
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The Dockerfile's path inside the context; null when the daemon should look for its default.</summary>
    public string? Dockerfile { get; init; }
    /// <summary>Build args; a null value is an arg named without a value (docker sends JSON null for it).</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> CacheFrom { get; init; } = [];
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];
    /// <summary>Docker's ulimit objects (<c>{"Name","Hard","Soft"}</c>), or empty.</summary>
    public JsonArray Ulimits { get; init; } = [];
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public bool Quiet { get; init; }
    /// <summary>Remove intermediate containers after a successful build: the daemon's default, so only "no" is sent.</summary>
    public bool Remove { get; init; } = true;
    public bool ForceRemove { get; init; }
    public string? Target { get; init; }
    public string? NetworkMode { get; init; }
    public string? Platform { get; init; }
    public string? Isolation { get; init; }
    public string? CgroupParent { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    public long CpuShares { get; init; }
    public long CpuPeriod { get; init; }
    public long CpuQuota { get; init; }
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long ShmSize { get; init; }

    /// <summary>The query docker's client builds (imageBuildOptionsToQuery), with version=1: the classic builder.</summary>
    public QueryString ToQuery()
    {
        var query = new QueryString();
        foreach (var tag in Tags)
            query.Add("t", tag);
        foreach (var option in SecurityOptions)
            query.Add("securityopt", option);
        foreach (var host in ExtraHosts)
            query.Add("extrahosts", host);
        query.Add("q", Quiet).Add("nocache", NoCache);
        if (!Remove)
            query.Add("rm", "0");
        query.Add("forcerm", ForceRemove).Add("pull", Pull);
        if (Isolation is { Length: > 0 } isolation && isolation != "default")
            query.Add("isolation", isolation);
        query.AddIfNotEmpty("cpusetcpus", CpusetCpus);
        if (NetworkMode is { Length: > 0 } network && network != "default")
            query.Add("networkmode", network);
        query.AddIfNotEmpty("cpusetmems", CpusetMems);
        AddIfNotZero(query, "cpushares", CpuShares);
        AddIfNotZero(query, "cpuquota", CpuQuota);
        AddIfNotZero(query, "cpuperiod", CpuPeriod);
        AddIfNotZero(query, "memory", Memory);
        AddIfNotZero(query, "memswap", MemorySwap);
        AddIfNotZero(query, "shmsize", ShmSize);
        query.AddIfNotEmpty("cgroupparent", CgroupParent).AddIfNotEmpty("dockerfile", Dockerfile).AddIfNotEmpty("target", Target);
        if (Ulimits.Count > 0)
            query.Add("ulimits", Json.Serialize(Ulimits));
        if (BuildArgs.Count > 0)
            query.Add("buildargs", Json.Serialize(SortedObject(BuildArgs)));
        if (Labels.Count > 0)
            query.Add("labels", Json.Serialize(SortedObject(Labels)));
        if (CacheFrom.Count > 0)
            query.Add("cachefrom", Json.Serialize(new JsonArray(CacheFrom.Select(image => (JsonNode?)image).ToArray())));
        // docker lowercases the platform ("Linux/AMD64" is linux/amd64).
        query.AddIfNotEmpty("platform", Platform?.ToLowerInvariant());
        return query.Add("version", "1");
    }

    private static void AddIfNotZero(QueryString query, string key, long value)
    {
        if (value != 0)
            query.Add(key, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A JSON object with its keys in Go's map order (sorted), so the query reads as docker's.</summary>
    private static JsonObject SortedObject<TValue>(IReadOnlyDictionary<string, TValue> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            result[key] = value is null ? null : JsonValue.Create(value.ToString());
        return result;
    }
}

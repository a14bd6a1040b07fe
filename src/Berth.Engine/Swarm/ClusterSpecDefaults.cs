using System.Text.Json.Nodes;

namespace Berth.Engine.Swarm;

/// <summary>The swarm spec swarmkit fills in, with what the client set laid over it (zero values keep the default).</summary>
public static class ClusterSpecDefaults
{
    public static JsonObject Merge(JsonObject? requested)
    {
        var spec = new JsonObject
        {
            ["Name"] = "default",
            ["Labels"] = new JsonObject(),
            ["Orchestration"] = new JsonObject { ["TaskHistoryRetentionLimit"] = 5 },
            ["Raft"] = new JsonObject
            {
                ["SnapshotInterval"] = 10000, ["KeepOldSnapshots"] = 0, ["LogEntriesForSlowFollowers"] = 500,
                ["ElectionTick"] = 10, ["HeartbeatTick"] = 1,
            },
            ["Dispatcher"] = new JsonObject { ["HeartbeatPeriod"] = 5_000_000_000L },
            ["CAConfig"] = new JsonObject { ["NodeCertExpiry"] = 7_776_000_000_000_000L },
            ["TaskDefaults"] = new JsonObject(),
            ["EncryptionConfig"] = new JsonObject { ["AutoLockManagers"] = false },
        };
        if (requested is null) return ServiceSpecs.Reparse(spec);
        foreach (var (key, value) in requested)
        {
            if (value is null) continue;
            if (value is JsonObject section && spec[key] is JsonObject defaults && key != "Labels")
            {
                foreach (var (member, memberValue) in section)
                    if (!IsZero(memberValue)) defaults[member] = memberValue?.DeepClone();
            }
            else if (!IsZero(value)) spec[key] = value.DeepClone();
        }
        return ServiceSpecs.Reparse(spec);
    }

    private static bool IsZero(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v when v.TryGetValue<long>(out long n) => n == 0,
        JsonValue v when v.TryGetValue<string>(out string? s) => string.IsNullOrEmpty(s),
        _ => false,
    };
}

using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.GoText;

namespace Berth.Cli.Swarm;

/// <summary>The SwarmSpec flags init and update share, merged into a spec as docker does (only the flags given).</summary>
public static class SwarmSpecFlags
{
    public static readonly FlagSpec[] Flags =
    [
        FlagSpec.Bool("autolock", null, "Enable manager autolocking (requiring an unlock key to start a stopped manager)"),
        FlagSpec.Duration("cert-expiry", "Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)"),
        FlagSpec.Duration("dispatcher-heartbeat", "Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)"),
        FlagSpec.List("external-ca", null, "Specifications of one or more certificate signing endpoints"),
        FlagSpec.String("max-snapshots", null, "Number of additional Raft snapshots to retain"),
        FlagSpec.String("snapshot-interval", null, "Number of log entries between Raft snapshots", "10000"),
        FlagSpec.Int("task-history-limit", null, "Task history retention limit", "5"),
    ];

    /// <summary>docker's empty swarm.Spec as Go encodes it (the members without omitempty are there).</summary>
    public static JsonObject Empty() => new()
    {
        ["Labels"] = null,
        ["Orchestration"] = new JsonObject(),
        ["Raft"] = new JsonObject { ["ElectionTick"] = 0, ["HeartbeatTick"] = 0 },
        ["Dispatcher"] = new JsonObject(),
        ["CAConfig"] = new JsonObject(),
        ["TaskDefaults"] = new JsonObject(),
        ["EncryptionConfig"] = new JsonObject { ["AutoLockManagers"] = false },
    };

    public static void Merge(JsonObject spec, ParsedFlags flags)
    {
        if (flags.Int("task-history-limit") is { } limit)
            spec.Child("Orchestration")["TaskHistoryRetentionLimit"] = limit;
        if (flags.Duration("dispatcher-heartbeat") is { } heartbeat)
            spec.Child("Dispatcher")["HeartbeatPeriod"] = GoDuration.ToNanoseconds(heartbeat);
        if (flags.Duration("cert-expiry") is { } expiry)
            spec.Child("CAConfig")["NodeCertExpiry"] = GoDuration.ToNanoseconds(expiry);
        if (flags.String("max-snapshots") is { } snapshots)
            spec.Child("Raft")["KeepOldSnapshots"] = ulong.Parse(snapshots, System.Globalization.CultureInfo.InvariantCulture);
        if (flags.String("snapshot-interval") is { } interval)
            spec.Child("Raft")["SnapshotInterval"] = ulong.Parse(interval, System.Globalization.CultureInfo.InvariantCulture);
        if (flags.Has("autolock"))
            spec.Child("EncryptionConfig")["AutoLockManagers"] = flags.Bool("autolock");
    }

    public static void PrintUnlockCommand(CliContext context, string key)
    {
        if (key.Length == 0)
            return;
        context.Out.Write($"To unlock a swarm manager after it restarts, run the `{context.ProgramName} swarm unlock`\ncommand and provide the following key:\n\n    {key}\n\n"
            + "Remember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n");
    }

    /// <summary>"To add a worker/manager to this swarm, run the following command: ..." for a manager node.</summary>
    public static async Task PrintJoinCommandAsync(CliContext context, string nodeId, bool worker, bool manager)
    {
        var node = await context.Client.InspectNodeAsync(nodeId, context.Cancellation);
        if (node.ManagerStatus is null)
            return;
        var swarm = await context.Client.InspectSwarmAsync(context.Cancellation);
        if (worker)
            context.Out.Write($"To add a worker to this swarm, run the following command:\n\n    {context.ProgramName} swarm join --token {swarm.JoinTokens?.Worker} {node.ManagerStatus.Addr}\n\n");
        if (manager)
            context.Out.Write($"To add a manager to this swarm, run the following command:\n\n    {context.ProgramName} swarm join --token {swarm.JoinTokens?.Manager} {node.ManagerStatus.Addr}\n\n");
    }
}

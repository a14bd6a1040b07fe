using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>
/// Reading and checking a ServiceSpec as swarmkit does: the checks with its messages, the defaults it fills in, and
/// typed reads of the members the orchestrator acts on. The spec itself stays the client's JSON, echoed back.
/// </summary>
public static partial class ServiceSpecs
{
    public static readonly TimeSpan DefaultRestartDelay = TimeSpan.FromSeconds(5);

    /// <summary>Checks a spec and fills in swarmkit's defaults; answers a copy.</summary>
    public static JsonObject Normalize(JsonObject requested, Func<string> newName)
    {
        var spec = (JsonObject)requested.DeepClone();
        string name = spec["Name"]?.GetValue<string>() ?? "";
        if (name.Length == 0) spec["Name"] = name = newName();
        if (name.Length > 63 || !DnsLabel().IsMatch(name)) throw SwarmErrors.Invalid("name must be valid as a DNS name component");
        spec["Labels"] ??= new JsonObject();
        if (spec["TaskTemplate"] is not JsonObject template) spec["TaskTemplate"] = template = new JsonObject();
        if (template["PluginSpec"] is not null || template["NetworkAttachmentSpec"] is not null)
            throw BerthException.NotImplemented("only container services are supported by berthd (no plugin or network-attachment tasks)");
        if (template["ContainerSpec"] is not JsonObject container) throw SwarmErrors.Invalid("ContainerSpec: missing in service spec");
        if (string.IsNullOrEmpty(container["Image"]?.GetValue<string>())) throw SwarmErrors.Invalid("ContainerSpec: image reference must be provided");
        container["Isolation"] ??= "default";
        template["Runtime"] ??= "container";
        // Go reads member names in any case, and docker-py sends {"replicated": ...}: the mode is stored under its
        // canonical name, as dockerd would write it back.
        if (spec["Mode"] is JsonObject sent)
            spec["Mode"] = new JsonObject(sent.ToList().Select(m => KeyValuePair.Create(CanonicalMode(m.Key), m.Value?.DeepClone())));
        if (spec["Mode"] is not JsonObject mode || mode.Count == 0)
            spec["Mode"] = mode = new JsonObject { ["Replicated"] = new JsonObject { ["Replicas"] = 1 } };
        if (mode["Replicated"] is JsonObject replicated) replicated["Replicas"] ??= 1;
        else if (mode["ReplicatedJob"] is JsonObject || mode["GlobalJob"] is JsonObject) NormalizeJob(spec, mode);
        else if (mode["Global"] is null) throw SwarmErrors.Invalid("Mode: unrecognized service mode");
        if (spec["EndpointSpec"] is not JsonObject endpoint) spec["EndpointSpec"] = endpoint = new JsonObject { ["Mode"] = "vip" };
        endpoint["Mode"] ??= "vip";
        if (endpoint["Ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port["Protocol"] ??= "tcp";
                port["PublishMode"] ??= "ingress";
                long target = port["TargetPort"]?.GetValue<long>() ?? 0;
                if (target is <= 0 or > 65535) throw SwarmErrors.Invalid("EndpointSpec: invalid target port");
                if (port["Protocol"]!.GetValue<string>() != "tcp" && port["PublishMode"]!.GetValue<string>() == "ingress")
                    throw BerthException.NotImplemented("berthd's routing mesh carries TCP only: publish UDP and SCTP ports with mode=host");
            }
        }
        if (RestartPolicy(spec).Condition is not ("none" or "on-failure" or "any"))
            throw SwarmErrors.Invalid("TaskSpec: invalid RestartCondition");
        return Reparse(spec);
    }

    /// <summary>
    /// The same JSON with every value read from text, so numbers read back as any numeric type, and member names
    /// found in any case, as Go's decoder (and the API's JSON context) finds them.
    /// </summary>
    public static JsonObject Reparse(JsonObject value) =>
        (JsonObject)JsonNode.Parse(value.ToJsonString(), new JsonNodeOptions { PropertyNameCaseInsensitive = true })!;

    private static string CanonicalMode(string key) => key.ToLowerInvariant() switch
    {
        "replicated" => "Replicated",
        "global" => "Global",
        "replicatedjob" or "replicated-job" => "ReplicatedJob",
        "globaljob" or "global-job" => "GlobalJob",
        _ => key,
    };

    public static JsonObject TaskTemplate(JsonObject spec) => (JsonObject)spec["TaskTemplate"]!;

    public static JsonObject ContainerSpec(JsonObject taskSpec) => (JsonObject)taskSpec["ContainerSpec"]!;

    public static string Name(JsonObject spec) => spec["Name"]?.GetValue<string>() ?? "";

    public static bool IsGlobal(JsonObject spec) => spec["Mode"]?["Global"] is not null;

    public static int Replicas(JsonObject spec) => (int)(spec["Mode"]?["Replicated"]?["Replicas"]?.GetValue<long>() ?? 1);

    public static IReadOnlyList<(string Protocol, int Target, int Published, string Mode)> Ports(JsonObject spec) =>
        spec["EndpointSpec"]?["Ports"] is JsonArray ports
            ? ports.OfType<JsonObject>().Select(p => (
                p["Protocol"]?.GetValue<string>() ?? "tcp",
                (int)(p["TargetPort"]?.GetValue<long>() ?? 0),
                (int)(p["PublishedPort"]?.GetValue<long>() ?? 0),
                p["PublishMode"]?.GetValue<string>() ?? "ingress")).ToList()
            : [];

    public static (string Condition, TimeSpan Delay, long MaxAttempts, TimeSpan Window) RestartPolicy(JsonObject spec)
    {
        var policy = spec["TaskTemplate"]?["RestartPolicy"];
        string condition = policy?["Condition"]?.GetValue<string>() ?? "";
        return (condition.Length == 0 ? "any" : condition,
            policy?["Delay"] is { } delay ? FromNanos(delay.GetValue<long>()) : DefaultRestartDelay,
            policy?["MaxAttempts"]?.GetValue<long>() ?? 0,
            FromNanos(policy?["Window"]?.GetValue<long>() ?? 0));
    }

    /// <summary>
    /// How many tasks an update replaces at once (0: all), how long it waits between batches, the order, and how long
    /// the new tasks must keep running before the update counts as completed (swarmkit's monitor period, 5 s by default).
    /// </summary>
    public static (int Parallelism, TimeSpan Delay, bool StartFirst, TimeSpan Monitor) UpdatePolicy(JsonObject spec, bool rollback)
    {
        var config = spec[rollback ? "RollbackConfig" : "UpdateConfig"];
        long monitor = config?["Monitor"]?.GetValue<long>() ?? 0;
        return ((int)(config?["Parallelism"]?.GetValue<long>() ?? 1),
            FromNanos(config?["Delay"]?.GetValue<long>() ?? 0),
            config?["Order"]?.GetValue<string>() == "start-first",
            monitor > 0 ? FromNanos(monitor) : TimeSpan.FromSeconds(5));
    }

    private static TimeSpan FromNanos(long nanos) => TimeSpan.FromTicks(nanos / 100);

    [GeneratedRegex("^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$")]
    private static partial Regex DnsLabel();
}

using System.Text.Json.Nodes;
using Berth.Api;

namespace Berth.Cli.Swarm;

/// <summary>The fields of docker's node ls rows; "*" marks the node the daemon runs on.</summary>
public static class NodeRows
{
    public const string DefaultTable = "table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}";

    public static JsonObject Header() => new()
    {
        ["ID"] = "ID",
        ["Hostname"] = "HOSTNAME",
        ["Status"] = "STATUS",
        ["Availability"] = "AVAILABILITY",
        ["ManagerStatus"] = "MANAGER STATUS",
        ["EngineVersion"] = "ENGINE VERSION",
        ["TLSStatus"] = "TLS STATUS",
    };

    public static JsonObject Row(SwarmNode node, string selfId, string clusterTrustRoot)
    {
        var manager = node.ManagerStatus is null ? "" : node.ManagerStatus.Leader ? "Leader" : TaskRows.Pretty(node.ManagerStatus.Reachability);
        return new JsonObject
        {
            ["Availability"] = TaskRows.Pretty(Client.Json.Str(node.Spec, "Availability")),
            ["EngineVersion"] = node.Description.Engine.EngineVersion,
            ["Hostname"] = node.Description.Hostname,
            ["ID"] = node.ID,
            ["ManagerStatus"] = manager,
            ["Self"] = node.ID == selfId,
            ["Status"] = TaskRows.Pretty(node.Status.State),
            ["TLSStatus"] = clusterTrustRoot.Length > 0 && node.Description.TLSInfo.TrustRoot != clusterTrustRoot ? "Needs Rotation" : "Ready",
        };
    }
}

using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>The swarm-only keys of <c>deploy</c> (mode, labels, endpoint mode, placement, restart, update and rollback).</summary>
internal static class DeploySyntax
{
    public static ServiceConfig Apply(ServiceConfig config, JsonObject service, string path)
    {
        string deployPath = $"{path}.deploy";
        var deploy = RawNodes.Mapping(service["deploy"], deployPath);
        if (deploy is null) return config;
        var placement = RawNodes.Mapping(deploy["placement"], $"{deployPath}.placement");
        var reservations = RawNodes.Mapping(RawNodes.Mapping(deploy["resources"], $"{deployPath}.resources")?["reservations"], $"{deployPath}.resources.reservations");
        return config with
        {
            Deploy = new DeployConfig
            {
                Mode = RawNodes.String(deploy["mode"], $"{deployPath}.mode"),
                Labels = RawNodes.ListOrDict(deploy["labels"], $"{deployPath}.labels").ToDictionary(p => p.Key, p => p.Value ?? ""),
                EndpointMode = RawNodes.String(deploy["endpoint_mode"], $"{deployPath}.endpoint_mode"),
                ReservationCpus = RawNodes.Double(reservations?["cpus"], $"{deployPath}.resources.reservations.cpus"),
                PlacementConstraints = RawNodes.StringOrList(placement?["constraints"], $"{deployPath}.placement.constraints"),
                RestartPolicy = Restart(RawNodes.Mapping(deploy["restart_policy"], $"{deployPath}.restart_policy"), $"{deployPath}.restart_policy"),
                UpdateConfig = Update(RawNodes.Mapping(deploy["update_config"], $"{deployPath}.update_config"), $"{deployPath}.update_config"),
                RollbackConfig = Update(RawNodes.Mapping(deploy["rollback_config"], $"{deployPath}.rollback_config"), $"{deployPath}.rollback_config"),
            },
        };
    }

    private static DeployRestartPolicy? Restart(JsonObject? policy, string path) => policy is null ? null : new DeployRestartPolicy
    {
        Condition = RawNodes.String(policy["condition"], $"{path}.condition"),
        Delay = RawNodes.Duration(policy["delay"], $"{path}.delay"),
        MaxAttempts = RawNodes.Long(policy["max_attempts"], $"{path}.max_attempts"),
        Window = RawNodes.Duration(policy["window"], $"{path}.window"),
    };

    private static DeployUpdateConfig? Update(JsonObject? update, string path) => update is null ? null : new DeployUpdateConfig
    {
        Parallelism = RawNodes.Long(update["parallelism"], $"{path}.parallelism"),
        Delay = RawNodes.Duration(update["delay"], $"{path}.delay"),
        FailureAction = RawNodes.String(update["failure_action"], $"{path}.failure_action"),
        Monitor = RawNodes.Duration(update["monitor"], $"{path}.monitor"),
        MaxFailureRatio = RawNodes.Double(update["max_failure_ratio"], $"{path}.max_failure_ratio"),
        Order = RawNodes.String(update["order"], $"{path}.order"),
    };
}

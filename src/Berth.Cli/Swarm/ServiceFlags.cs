using System.Globalization;
using Berth.Cli.Commands;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary>The flags of <c>service create</c> and <c>service update</c>, with docker's names, usage and validation.</summary>
public static class ServiceFlags
{
    private static string? Uint(string value)
        => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null
            : $"strconv.ParseUint: parsing {Berth.GoText.GoQuote.Quote(value)}: invalid syntax";

    private static string? Float(string value)
        => float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null
            : $"strconv.ParseFloat: parsing {Berth.GoText.GoQuote.Quote(value)}: invalid syntax";

    private static string? Publish(string value)
    {
        try
        {
            ServicePorts.Parse(value);
            return null;
        }
        catch (InvalidOptionException e)
        {
            return e.Message;
        }
    }

    private static string? Mount(string value)
    {
        try
        {
            VolumeSpecs.ParseMount(value);
            return null;
        }
        catch (InvalidOptionException e)
        {
            return e.Message;
        }
    }

    private static string? Host(string value)
    {
        var sep = value.IndexOfAny([':', '=']);
        return sep > 0 && System.Net.IPAddress.TryParse(value[(sep + 1)..].Trim('[', ']'), out _) ? null : $"invalid IP address in add-host: \"{(sep > 0 ? value[(sep + 1)..] : "")}\"";
    }

    /// <summary>Flags that set one value, the same in create and update.</summary>
    private static readonly FlagSpec[] Scalars =
    [
        FlagSpec.Bool("detach", 'd', "Exit immediately instead of waiting for the service to converge"),
        FlagSpec.String("endpoint-mode", null, "Endpoint mode (vip or dnsrr)", "vip"),
        FlagSpec.String("entrypoint", null, "Overwrite the default ENTRYPOINT of the image"),
        FlagSpec.String("health-cmd", null, "Command to run to check health"),
        FlagSpec.Duration("health-interval", "Time between running the check (ms|s|m|h)"),
        FlagSpec.Int("health-retries", null, "Consecutive failures needed to report unhealthy"),
        FlagSpec.Duration("health-start-interval", "Time between running the check during the start period (ms|s|m|h)"),
        FlagSpec.Duration("health-start-period", "Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)"),
        FlagSpec.Duration("health-timeout", "Maximum time to allow one check to run (ms|s|m|h)"),
        FlagSpec.String("hostname", null, "Container hostname"),
        FlagSpec.Bool("init", null, "Use an init inside each service container to forward signals and reap processes"),
        FlagSpec.String("isolation", null, "Service container isolation mode"),
        FlagSpec.String("limit-cpu", null, "Limit CPUs", null, ByteSizes.ValidateNanoCpus),
        FlagSpec.String("limit-memory", null, "Limit Memory", null, ByteSizes.ValidateRam),
        FlagSpec.Int("limit-pids", null, "Limit maximum number of processes (default 0 = unlimited)"),
        FlagSpec.String("log-driver", null, "Logging driver for service"),
        FlagSpec.List("log-opt", null, "Logging driver options"),
        FlagSpec.String("max-concurrent", null, "Number of job tasks to run", null, Uint),
        FlagSpec.Bool("no-healthcheck", null, "Disable any container-specified HEALTHCHECK"),
        FlagSpec.Bool("no-resolve-image", null, "Do not query the registry to resolve image digest and supported platforms"),
        FlagSpec.Bool("quiet", 'q', "Suppress progress output"),
        FlagSpec.Bool("read-only", null, "Mount the container's root filesystem as read only"),
        FlagSpec.String("replicas", null, "Number of tasks", null, Uint),
        FlagSpec.String("replicas-max-per-node", null, "Maximum number of tasks per node (default 0 = unlimited)", null, Uint),
        FlagSpec.String("reserve-cpu", null, "Reserve CPUs", null, ByteSizes.ValidateNanoCpus),
        FlagSpec.String("reserve-memory", null, "Reserve Memory", null, ByteSizes.ValidateRam),
        FlagSpec.String("restart-condition", null, "Restart when condition is met (\"none\", \"on-failure\", \"any\") (default \"any\")"),
        FlagSpec.Duration("restart-delay", "Delay between restart attempts (ns|us|ms|s|m|h) (default 5s)"),
        FlagSpec.String("restart-max-attempts", null, "Maximum number of restarts before giving up", null, Uint),
        FlagSpec.Duration("restart-window", "Window used to evaluate the restart policy (ns|us|ms|s|m|h)"),
        FlagSpec.Duration("rollback-delay", "Delay between task rollbacks (ns|us|ms|s|m|h) (default 0s)"),
        FlagSpec.String("rollback-failure-action", null, "Action on rollback failure (\"pause\", \"continue\") (default \"pause\")"),
        FlagSpec.String("rollback-max-failure-ratio", null, "Failure rate to tolerate during a rollback (default 0)", null, Float),
        FlagSpec.Duration("rollback-monitor", "Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h) (default 5s)"),
        FlagSpec.String("rollback-order", null, "Rollback order (\"start-first\", \"stop-first\") (default \"stop-first\")"),
        FlagSpec.String("rollback-parallelism", null, "Maximum number of tasks rolled back simultaneously (0 to roll back all at once)", "1", Uint),
        FlagSpec.Duration("stop-grace-period", "Time to wait before force killing a container (ns|us|ms|s|m|h) (default 10s)"),
        FlagSpec.String("stop-signal", null, "Signal to stop the container"),
        FlagSpec.Bool("tty", 't', "Allocate a pseudo-TTY"),
        FlagSpec.Duration("update-delay", "Delay between updates (ns|us|ms|s|m|h) (default 0s)"),
        FlagSpec.String("update-failure-action", null, "Action on update failure (\"pause\", \"continue\", \"rollback\") (default \"pause\")"),
        FlagSpec.String("update-max-failure-ratio", null, "Failure rate to tolerate during an update (default 0)", null, Float),
        FlagSpec.Duration("update-monitor", "Duration after each task update to monitor for failure (ns|us|ms|s|m|h) (default 5s)"),
        FlagSpec.String("update-order", null, "Update order (\"start-first\", \"stop-first\") (default \"stop-first\")"),
        FlagSpec.String("update-parallelism", null, "Maximum number of tasks updated simultaneously (0 to update all at once)", "1", Uint),
        FlagSpec.String("user", 'u', "Username or UID (format: <name|uid>[:<group|gid>])"),
        FlagSpec.Bool("with-registry-auth", null, "Send registry authentication details to swarm agents"),
        FlagSpec.String("workdir", 'w', "Working directory inside the container"),
    ];

    public static readonly IReadOnlyList<FlagSpec> Create =
    [
        .. Scalars,
        FlagSpec.List("cap-add", null, "Add Linux capabilities"),
        FlagSpec.List("cap-drop", null, "Drop Linux capabilities"),
        FlagSpec.List("config", null, "Specify configurations to expose to the service", v => FileReferences.Validate(v, "config")),
        FlagSpec.List("constraint", null, "Placement constraints"),
        FlagSpec.List("container-label", null, "Container labels"),
        FlagSpec.List("dns", null, "Set custom DNS servers"),
        FlagSpec.List("dns-option", null, "Set DNS options"),
        FlagSpec.List("dns-search", null, "Set custom DNS search domains"),
        FlagSpec.List("env", 'e', "Set environment variables", KeyValueFiles.ValidateEnv),
        FlagSpec.List("env-file", null, "Read in a file of environment variables"),
        FlagSpec.List("group", null, "Set one or more supplementary user groups for the container"),
        FlagSpec.List("host", null, "Set one or more custom host-to-IP mappings (host:ip)", Host),
        FlagSpec.List("label", 'l', "Service labels"),
        FlagSpec.String("mode", null, "Service mode (\"replicated\", \"global\", \"replicated-job\", \"global-job\")", "replicated"),
        FlagSpec.List("mount", null, "Attach a filesystem mount to the service", Mount),
        FlagSpec.String("name", null, "Service name"),
        FlagSpec.List("network", null, "Network attachments"),
        FlagSpec.List("placement-pref", null, "Add a placement preference"),
        FlagSpec.List("publish", 'p', "Publish a port as a node port", Publish),
        FlagSpec.List("secret", null, "Specify secrets to expose to the service", v => FileReferences.Validate(v, "secret")),
        FlagSpec.List("sysctl", null, "Sysctl options"),
    ];

    public static readonly IReadOnlyList<FlagSpec> Update =
    [
        .. Scalars,
        FlagSpec.String("args", null, "Service command args"),
        FlagSpec.List("cap-add", null, "Add Linux capabilities"),
        FlagSpec.List("cap-drop", null, "Drop Linux capabilities"),
        FlagSpec.List("config-add", null, "Add or update a config file on a service", v => FileReferences.Validate(v, "config")),
        FlagSpec.List("config-rm", null, "Remove a configuration file"),
        FlagSpec.List("constraint-add", null, "Add or update a placement constraint"),
        FlagSpec.List("constraint-rm", null, "Remove a constraint"),
        FlagSpec.List("container-label-add", null, "Add or update a container label"),
        FlagSpec.List("container-label-rm", null, "Remove a container label by its key"),
        FlagSpec.List("dns-add", null, "Add or update a custom DNS server"),
        FlagSpec.List("dns-option-add", null, "Add or update a DNS option"),
        FlagSpec.List("dns-option-rm", null, "Remove a DNS option"),
        FlagSpec.List("dns-rm", null, "Remove a custom DNS server"),
        FlagSpec.List("dns-search-add", null, "Add or update a custom DNS search domain"),
        FlagSpec.List("dns-search-rm", null, "Remove a DNS search domain"),
        FlagSpec.List("env-add", null, "Add or update an environment variable", KeyValueFiles.ValidateEnv),
        FlagSpec.List("env-rm", null, "Remove an environment variable"),
        FlagSpec.Bool("force", null, "Force update even if no changes require it"),
        FlagSpec.List("group-add", null, "Add an additional supplementary user group to the container"),
        FlagSpec.List("group-rm", null, "Remove a previously added supplementary user group from the container"),
        FlagSpec.List("host-add", null, "Add a custom host-to-IP mapping (\"host:ip\")", Host),
        FlagSpec.List("host-rm", null, "Remove a custom host-to-IP mapping (\"host:ip\")"),
        FlagSpec.String("image", null, "Service image tag"),
        FlagSpec.List("label-add", null, "Add or update a service label"),
        FlagSpec.List("label-rm", null, "Remove a label by its key"),
        FlagSpec.List("mount-add", null, "Add or update a mount on a service", Mount),
        FlagSpec.List("mount-rm", null, "Remove a mount by its target path"),
        FlagSpec.List("network-add", null, "Add a network"),
        FlagSpec.List("network-rm", null, "Remove a network"),
        FlagSpec.List("publish-add", null, "Add or update a published port", Publish),
        FlagSpec.List("publish-rm", null, "Remove a published port by its target port", Publish),
        FlagSpec.Bool("rollback", null, "Rollback to previous specification"),
        FlagSpec.List("secret-add", null, "Add or update a secret on a service", v => FileReferences.Validate(v, "secret")),
        FlagSpec.List("secret-rm", null, "Remove a secret"),
        FlagSpec.List("sysctl-add", null, "Add or update a Sysctl option"),
        FlagSpec.List("sysctl-rm", null, "Remove a Sysctl option"),
    ];
}

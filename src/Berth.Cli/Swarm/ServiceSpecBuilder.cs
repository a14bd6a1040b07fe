using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Commands;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;
using Berth.GoText;

namespace Berth.Cli.Swarm;

/// <summary>
/// The ServiceSpec docker's <c>service create</c> sends, built from its flags with the same members and defaults
/// (always Labels, Init, DNSConfig, Resources, Placement, ForceUpdate and an EndpointSpec; policies only when asked).
/// Secrets, configs and networks need the daemon to resolve names, so they are passed in already resolved.
/// </summary>
public static class ServiceSpecBuilder
{
    public static JsonObject Build(ParsedFlags flags, Func<string, string?> environment,
        JsonArray? secrets = null, JsonArray? configs = null, JsonArray? networks = null)
    {
        var image = flags.Positionals[0];
        var container = new JsonObject { ["Image"] = TaggedImage(image) };
        var containerLabels = KeyValueFlags.ToDictionary(flags.List("container-label"));
        if (containerLabels.Count > 0)
            container["Labels"] = SpecJson.Map(containerLabels);
        if (flags.String("entrypoint") is { Length: > 0 } entrypoint)
            container.SetList("Command", ShellWords.Split(entrypoint));
        container.SetList("Args", flags.Positionals.Skip(1));
        SetString(container, "Hostname", flags.String("hostname"));
        container.SetList("Env", Environment(flags, environment));
        SetString(container, "Dir", flags.String("workdir"));
        SetString(container, "User", flags.String("user"));
        container.SetList("Groups", flags.List("group"));
        container["Init"] = flags.Bool("init");
        SetString(container, "StopSignal", flags.String("stop-signal"));
        if (flags.Bool("tty"))
            container["TTY"] = true;
        if (flags.Bool("read-only"))
            container["ReadOnly"] = true;
        var mounts = new JsonArray([.. flags.List("mount").Select(m => (JsonNode?)VolumeSpecs.ParseMount(m))]);
        if (mounts.Count > 0)
            container["Mounts"] = mounts;
        if (flags.Duration("stop-grace-period") is { } grace)
            container["StopGracePeriod"] = GoDuration.ToNanoseconds(grace);
        if (Healthcheck(flags) is { } health)
            container["Healthcheck"] = health;
        container.SetList("Hosts", flags.List("host").Select(SwarmHost));
        var dns = new JsonObject();
        dns.SetList("Nameservers", flags.List("dns"));
        dns.SetList("Search", flags.List("dns-search"));
        dns.SetList("Options", flags.List("dns-option"));
        container["DNSConfig"] = dns;
        if (secrets is { Count: > 0 })
            container["Secrets"] = secrets;
        if (configs is { Count: > 0 })
            container["Configs"] = configs;
        SetString(container, "Isolation", flags.String("isolation"));
        var sysctls = KeyValueFlags.ToDictionary(flags.List("sysctl"));
        if (sysctls.Count > 0)
            container["Sysctls"] = SpecJson.Map(sysctls);
        container.SetList("CapabilityAdd", flags.List("cap-add"));
        container.SetList("CapabilityDrop", flags.List("cap-drop"));

        var task = new JsonObject { ["ContainerSpec"] = container };
        if (networks is { Count: > 0 })
            task["Networks"] = networks;
        task["Resources"] = new JsonObject
        {
            ["Limits"] = Limits(flags.String("limit-cpu"), flags.String("limit-memory"), flags.Int("limit-pids")),
            ["Reservations"] = Limits(flags.String("reserve-cpu"), flags.String("reserve-memory"), null),
        };
        if (RestartPolicy(flags, null) is { } restart)
            task["RestartPolicy"] = restart;
        var placement = new JsonObject();
        placement.SetList("Constraints", flags.List("constraint"));
        if (flags.List("placement-pref").Count > 0)
            placement["Preferences"] = new JsonArray([.. flags.List("placement-pref").Select(p => (JsonNode?)PlacementPreference(p))]);
        if (flags.String("replicas-max-per-node") is { } max && max != "0")
            placement["MaxReplicas"] = ulong.Parse(max, CultureInfo.InvariantCulture);
        task["Placement"] = placement;
        if (flags.String("log-driver") is { Length: > 0 } driver)
        {
            var log = new JsonObject { ["Name"] = driver };
            if (flags.List("log-opt").Count > 0)
                log["Options"] = SpecJson.Map(KeyValueFlags.ToDictionary(flags.List("log-opt")));
            task["LogDriver"] = log;
        }
        task["ForceUpdate"] = 0;

        var spec = new JsonObject
        {
            ["Name"] = flags.String("name") ?? "",
            ["Labels"] = SpecJson.Map(KeyValueFlags.ToDictionary(flags.List("label"))),
            ["TaskTemplate"] = task,
            ["Mode"] = Mode(flags),
        };
        if (UpdateConfig(flags, "update", null) is { } update)
            spec["UpdateConfig"] = update;
        if (UpdateConfig(flags, "rollback", null) is { } rollback)
            spec["RollbackConfig"] = rollback;
        var endpoint = new JsonObject { ["Mode"] = flags.StringOr("endpoint-mode", "vip").ToLowerInvariant() };
        var ports = new JsonArray([.. flags.List("publish").SelectMany(ServicePorts.Parse).Select(p => (JsonNode?)p)]);
        if (ports.Count > 0)
            endpoint["Ports"] = ports;
        spec["EndpointSpec"] = endpoint;
        if (spec["Name"]!.GetValue<string>().Length == 0)
            spec.Remove("Name");
        GoOrder.Service(spec);
        return spec;
    }

    /// <summary>docker's client tags an untagged image ("busybox" becomes "busybox:latest") before sending it.</summary>
    public static string TaggedImage(string image)
    {
        try
        {
            var reference = ImageReference.Parse(image);
            return reference.Familiar;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return image;
        }
    }

    /// <summary>--env-file lines then -e values, a later KEY replacing an earlier one in place of order.</summary>
    private static List<string> Environment(ParsedFlags flags, Func<string, string?> environment)
    {
        var all = flags.List("env-file").SelectMany(f => KeyValueFiles.ReadEnvFile(f, environment))
            .Concat(flags.List("env").Select(e => KeyValueFiles.ExpandEnv(e, environment)));
        var result = new List<string>();
        foreach (var value in all)
        {
            var key = EnvKey(value);
            result.RemoveAll(v => EnvKey(v) == key);
            result.Add(value);
        }
        return result;
    }

    public static string EnvKey(string value) => value.Split('=', 2)[0];

    /// <summary>--host host:ip becomes the "ip host" line of /etc/hosts that swarm stores.</summary>
    public static string SwarmHost(string value)
    {
        var sep = value.IndexOfAny([':', '=']);
        return sep < 0 ? value : $"{value[(sep + 1)..]} {value[..sep]}";
    }

    private static void SetString(JsonObject target, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
            target.Remove(name);
        else
            target[name] = value;
    }

    private static JsonObject Limits(string? cpu, string? memory, long? pids)
    {
        var limits = new JsonObject();
        if (cpu is not null && ByteSizes.TryParseNanoCpus(cpu, out var nanos, out _) && nanos != 0)
            limits["NanoCPUs"] = nanos;
        if (memory is not null && ByteSizes.TryParseRam(memory, out var bytes) && bytes != 0)
            limits["MemoryBytes"] = bytes;
        if (pids is { } p && p != 0)
            limits["Pids"] = p;
        return limits;
    }

    public static JsonObject? Healthcheck(ParsedFlags flags)
    {
        var cmd = flags.String("health-cmd") ?? "";
        var have = cmd.Length > 0 || flags.Has("health-interval") || flags.Has("health-timeout") || (flags.Int("health-retries") ?? 0) != 0
                   || flags.Has("health-start-period") || flags.Has("health-start-interval");
        if (flags.Bool("no-healthcheck"))
        {
            if (have)
                throw new CliException("--no-healthcheck conflicts with --health-* options");
            return new JsonObject { ["Test"] = new JsonArray("NONE") };
        }
        if (!have)
            return null;
        var health = new JsonObject();
        if (cmd.Length > 0)
            health["Test"] = new JsonArray("CMD-SHELL", cmd);
        AddDuration(health, "Interval", flags.Duration("health-interval"));
        AddDuration(health, "Timeout", flags.Duration("health-timeout"));
        AddDuration(health, "StartPeriod", flags.Duration("health-start-period"));
        AddDuration(health, "StartInterval", flags.Duration("health-start-interval"));
        if (flags.Int("health-retries") is { } retries && retries != 0)
            health["Retries"] = retries;
        return health;
    }

    private static void AddDuration(JsonObject target, string name, TimeSpan? value)
    {
        if (value is { } v && v != TimeSpan.Zero)
            target[name] = GoDuration.ToNanoseconds(v);
    }

    private static readonly string[] RestartFlags = ["restart-condition", "restart-delay", "restart-max-attempts", "restart-window"];

    /// <summary>
    /// The restart policy when any --restart-* flag is given: the existing one (update) or docker's default
    /// (any, 5s, 0 attempts), with the given flags applied.
    /// </summary>
    public static JsonObject? RestartPolicy(ParsedFlags flags, JsonObject? existing)
    {
        if (!RestartFlags.Any(flags.Has))
            return existing;
        var policy = existing ?? new JsonObject { ["Condition"] = "any", ["Delay"] = 5_000_000_000L, ["MaxAttempts"] = 0 };
        if (flags.String("restart-condition") is { } condition)
            policy["Condition"] = condition;
        if (flags.Duration("restart-delay") is { } delay)
            policy["Delay"] = GoDuration.ToNanoseconds(delay);
        if (flags.String("restart-max-attempts") is { } attempts)
            policy["MaxAttempts"] = ulong.Parse(attempts, CultureInfo.InvariantCulture);
        if (flags.Duration("restart-window") is { } window)
            policy["Window"] = GoDuration.ToNanoseconds(window);
        return policy;
    }

    /// <summary>
    /// UpdateConfig (prefix "update") or RollbackConfig ("rollback") when any of its flags is given: the existing one
    /// or docker's default (parallelism 1, pause, monitor 5s, ratio 0, stop-first), with the flags applied.
    /// </summary>
    private static readonly string[] UpdateConfigFlags = ["parallelism", "delay", "monitor", "failure-action", "max-failure-ratio", "order"];

    public static JsonObject? UpdateConfig(ParsedFlags flags, string prefix, JsonObject? existing)
    {
        if (!UpdateConfigFlags.Any(n => flags.Has($"{prefix}-{n}")))
            return existing;
        var config = existing ?? new JsonObject
        {
            ["Parallelism"] = 1, ["FailureAction"] = "pause", ["Monitor"] = 5_000_000_000L, ["MaxFailureRatio"] = 0, ["Order"] = "stop-first",
        };
        if (flags.String($"{prefix}-parallelism") is { } parallelism)
            config["Parallelism"] = ulong.Parse(parallelism, CultureInfo.InvariantCulture);
        if (flags.Duration($"{prefix}-delay") is { } delay)
            SetOmitEmpty(config, "Delay", GoDuration.ToNanoseconds(delay));
        if (flags.String($"{prefix}-failure-action") is { } action)
            config["FailureAction"] = action;
        if (flags.Duration($"{prefix}-monitor") is { } monitor)
            SetOmitEmpty(config, "Monitor", GoDuration.ToNanoseconds(monitor));
        if (flags.String($"{prefix}-max-failure-ratio") is { } ratio)
            config["MaxFailureRatio"] = JsonNode.Parse(float.Parse(ratio, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
        if (flags.String($"{prefix}-order") is { } order)
            config["Order"] = order;
        return config;
    }

    private static void SetOmitEmpty(JsonObject target, string name, long value)
    {
        if (value == 0)
            target.Remove(name);
        else
            target[name] = value;
    }

    /// <summary>docker's ToServiceMode: --replicas and --max-concurrent checked against the mode, with its messages.</summary>
    private static JsonObject Mode(ParsedFlags flags)
    {
        var replicas = flags.String("replicas");
        var maxConcurrent = flags.String("max-concurrent");
        var mode = flags.StringOr("mode", "replicated");
        if (maxConcurrent is not null && mode is "replicated" or "global" or "global-job")
            throw new CliException("max-concurrent can only be used with replicated-job mode");
        if (replicas is not null && mode is "global" or "global-job")
            throw new CliException("replicas can only be used with replicated or replicated-job mode");
        if (mode is "replicated-job" or "global-job" && UpdateConfigFlags.Any(n => flags.Has("update-" + n) || flags.Has("rollback-" + n)))
            throw new CliException("update and rollback configuration is not supported for jobs");
        switch (mode)
        {
            case "global":
                return new JsonObject { ["Global"] = new JsonObject() };
            case "replicated":
                var replicated = new JsonObject();
                if (replicas is not null)
                    replicated["Replicas"] = ulong.Parse(replicas, CultureInfo.InvariantCulture);
                return new JsonObject { ["Replicated"] = replicated };
            case "replicated-job":
                // MaxConcurrent defaults to the number of completions wanted; the daemon fills in what is left unset.
                var job = new JsonObject();
                if ((maxConcurrent ?? replicas) is { } concurrent)
                    job["MaxConcurrent"] = ulong.Parse(concurrent, CultureInfo.InvariantCulture);
                if (replicas is not null)
                    job["TotalCompletions"] = ulong.Parse(replicas, CultureInfo.InvariantCulture);
                return new JsonObject { ["ReplicatedJob"] = job };
            case "global-job":
                return new JsonObject { ["GlobalJob"] = new JsonObject() };
            case var other:
                throw new CliException($"Unknown mode: {other}, only replicated and global supported");
        }
    }

    /// <summary>--placement-pref spread=node.labels.zone.</summary>
    private static JsonObject PlacementPreference(string value)
    {
        var eq = value.IndexOf('=');
        if (eq < 0 || value[..eq] != "spread")
            throw new CliException($"invalid placement preference: {value}");
        return new JsonObject { ["Spread"] = new JsonObject { ["SpreadDescriptor"] = value[(eq + 1)..] } };
    }
}

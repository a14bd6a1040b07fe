using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Commands;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;
using Berth.Client;
using Berth.GoText;

namespace Berth.Cli.Swarm;

/// <summary>
/// <c>service update</c>'s edits of the spec read from the daemon: only what a given flag names changes, with
/// docker's rules for the -add/-rm lists (env by key, labels by key, ports by target/protocol/mode, mounts by target).
/// Secrets, configs and networks need lookups and are applied by the command.
/// </summary>
public static class ServiceSpecUpdater
{
    public static void Apply(JsonObject spec, ParsedFlags flags, Func<string, string?> environment)
    {
        var task = spec.Child("TaskTemplate");
        var container = task.Child("ContainerSpec");

        UpdateMap(spec, "Labels", flags.List("label-add"), flags.List("label-rm"), keepEmpty: true);
        UpdateMap(container, "Labels", flags.List("container-label-add"), flags.List("container-label-rm"), keepEmpty: false);
        if (flags.String("image") is { } image)
            container["Image"] = ServiceSpecBuilder.TaggedImage(image);
        if (flags.Has("args"))
            container.SetList("Args", ShellWords.Split(flags.String("args")!));
        if (flags.Has("entrypoint"))
            container.SetList("Command", ShellWords.Split(flags.String("entrypoint")!));
        UpdateEnv(container, flags.List("env-add").Select(e => KeyValueFiles.ExpandEnv(e, environment)).ToList(), flags.List("env-rm"));
        SetString(container, "Dir", flags, "workdir");
        SetString(container, "User", flags, "user");
        SetString(container, "Hostname", flags, "hostname");
        if (flags.Has("init"))
            container["Init"] = flags.Bool("init");
        SetString(container, "Isolation", flags, "isolation");
        UpdateMounts(container, flags);
        UpdateMap(container, "Sysctls", flags.List("sysctl-add"), flags.List("sysctl-rm"), keepEmpty: false);
        UpdateList(container, "CapabilityAdd", flags.List("cap-add"), []);
        UpdateList(container, "CapabilityDrop", flags.List("cap-drop"), []);

        if (new[] { "limit-cpu", "limit-memory", "limit-pids" }.Any(flags.Has))
        {
            var limits = task.Child("Resources").Child("Limits");
            task.Child("Resources").Child("Reservations");
            SetCpu(limits, flags.String("limit-cpu"));
            SetMemory(limits, flags.String("limit-memory"));
            if (flags.Int("limit-pids") is { } pids)
                SetNumber(limits, "Pids", pids);
        }
        if (new[] { "reserve-cpu", "reserve-memory" }.Any(flags.Has))
        {
            task.Child("Resources").Child("Limits");
            var reservations = task.Child("Resources").Child("Reservations");
            SetCpu(reservations, flags.String("reserve-cpu"));
            SetMemory(reservations, flags.String("reserve-memory"));
        }
        if (flags.Duration("stop-grace-period") is { } grace)
            SetNumber(container, "StopGracePeriod", GoDuration.ToNanoseconds(grace));
        if (ServiceSpecBuilder.RestartPolicy(flags, task["RestartPolicy"] as JsonObject) is { } restart)
            task["RestartPolicy"] = restart;
        if (flags.Has("constraint-add") || flags.Has("constraint-rm"))
            UpdateList(task.Child("Placement"), "Constraints", flags.List("constraint-add"), flags.List("constraint-rm"));
        if (flags.String("replicas-max-per-node") is { } max)
            SetNumber(task.Child("Placement"), "MaxReplicas", long.Parse(max, CultureInfo.InvariantCulture));
        if (flags.String("replicas") is { } replicas)
        {
            if (spec.Child("Mode")["Replicated"] is not JsonObject replicated)
                throw new CliException("replicas can only be used with replicated mode");
            replicated["Replicas"] = ulong.Parse(replicas, CultureInfo.InvariantCulture);
        }
        if (ServiceSpecBuilder.UpdateConfig(flags, "update", spec["UpdateConfig"] as JsonObject) is { } update)
            spec["UpdateConfig"] = update;
        if (ServiceSpecBuilder.UpdateConfig(flags, "rollback", spec["RollbackConfig"] as JsonObject) is { } rollback)
            spec["RollbackConfig"] = rollback;
        if (flags.String("endpoint-mode") is { } endpointMode)
            spec.Child("EndpointSpec")["Mode"] = endpointMode.ToLowerInvariant();
        UpdateList(container, "Groups", flags.List("group-add"), flags.List("group-rm"));
        if (flags.Has("publish-add") || flags.Has("publish-rm"))
            UpdatePorts(spec.Child("EndpointSpec"), flags);
        if (new[] { "dns-add", "dns-rm", "dns-option-add", "dns-option-rm", "dns-search-add", "dns-search-rm" }.Any(flags.Has))
        {
            var dns = container.Child("DNSConfig");
            UpdateList(dns, "Nameservers", flags.List("dns-add"), flags.List("dns-rm"));
            UpdateList(dns, "Options", flags.List("dns-option-add"), flags.List("dns-option-rm"));
            UpdateList(dns, "Search", flags.List("dns-search-add"), flags.List("dns-search-rm"));
        }
        if (flags.Has("host-add") || flags.Has("host-rm"))
            UpdateList(container, "Hosts", flags.List("host-add").Select(ServiceSpecBuilder.SwarmHost).ToList(),
                flags.List("host-rm").Select(ServiceSpecBuilder.SwarmHost).ToList());
        if (flags.String("log-driver") is { Length: > 0 } driver)
        {
            var log = new JsonObject { ["Name"] = driver };
            if (flags.List("log-opt").Count > 0)
                log["Options"] = SpecJson.Map(KeyValueFlags.ToDictionary(flags.List("log-opt")));
            task["LogDriver"] = log;
        }
        if (flags.Bool("force"))
            task["ForceUpdate"] = task.Long("ForceUpdate") + 1;
        UpdateHealthcheck(container, flags);
        if (flags.Has("tty"))
            SetBool(container, "TTY", flags.Bool("tty"));
        if (flags.Has("read-only"))
            SetBool(container, "ReadOnly", flags.Bool("read-only"));
        SetString(container, "StopSignal", flags, "stop-signal");
        GoOrder.Service(spec);
    }

    private static void SetString(JsonObject target, string name, ParsedFlags flags, string flag)
    {
        if (!flags.Has(flag))
            return;
        var value = flags.String(flag) ?? "";
        if (value.Length == 0)
            target.Remove(name);
        else
            target[name] = value;
    }

    private static void SetBool(JsonObject target, string name, bool value)
    {
        if (value)
            target[name] = true;
        else
            target.Remove(name);
    }

    private static void SetNumber(JsonObject target, string name, long value)
    {
        if (value == 0)
            target.Remove(name);
        else
            target[name] = value;
    }

    private static void SetCpu(JsonObject target, string? value)
    {
        if (value is not null && ByteSizes.TryParseNanoCpus(value, out var nanos, out _))
            SetNumber(target, "NanoCPUs", nanos);
    }

    private static void SetMemory(JsonObject target, string? value)
    {
        if (value is not null && ByteSizes.TryParseRam(value, out var bytes))
            SetNumber(target, "MemoryBytes", bytes);
    }

    /// <summary>A Go map member: -add sets keys, -rm deletes them (by key, "k=v" counts as "k").</summary>
    private static void UpdateMap(JsonObject target, string name, IReadOnlyList<string> add, IReadOnlyList<string> remove, bool keepEmpty)
    {
        if (add.Count == 0 && remove.Count == 0)
            return;
        var map = SpecJson.ToDictionary(target[name] as JsonObject);
        foreach (var (key, value) in KeyValueFlags.ToDictionary(add))
            map[key] = value;
        foreach (var key in remove)
            map.Remove(key.Split('=', 2)[0]);
        if (map.Count == 0 && !keepEmpty)
            target.Remove(name);
        else
            target[name] = SpecJson.Map(map);
    }

    /// <summary>A string list: removed values dropped, added ones appended unless already there.</summary>
    private static void UpdateList(JsonObject target, string name, IReadOnlyList<string> add, IReadOnlyList<string> remove)
    {
        if (add.Count == 0 && remove.Count == 0)
            return;
        var list = SpecJson.Strings(target[name]).Where(v => !remove.Contains(v)).ToList();
        foreach (var value in add)
        {
            if (!list.Contains(value))
                list.Add(value);
        }
        target.SetList(name, list);
    }

    private static void UpdateEnv(JsonObject container, IReadOnlyList<string> add, IReadOnlyList<string> remove)
    {
        if (add.Count == 0 && remove.Count == 0)
            return;
        var env = SpecJson.Strings(container["Env"]).Where(e => !remove.Contains(ServiceSpecBuilder.EnvKey(e))).ToList();
        foreach (var value in add)
        {
            var key = ServiceSpecBuilder.EnvKey(value);
            var index = env.FindIndex(e => ServiceSpecBuilder.EnvKey(e) == key);
            if (index >= 0)
                env[index] = value;
            else
                env.Add(value);
        }
        container.SetList("Env", env);
    }

    /// <summary>--mount-rm by target, --mount-add replacing a mount at the same target.</summary>
    private static void UpdateMounts(JsonObject container, ParsedFlags flags)
    {
        if (!flags.Has("mount-add") && !flags.Has("mount-rm"))
            return;
        var added = flags.List("mount-add").Select(VolumeSpecs.ParseMount).ToList();
        var addedTargets = added.Select(m => m.Str("Target")).ToHashSet(StringComparer.Ordinal);
        var remove = flags.List("mount-rm").ToHashSet(StringComparer.Ordinal);
        var mounts = new JsonArray();
        foreach (var mount in container["Mounts"] as JsonArray ?? [])
        {
            var target = mount.Str("Target");
            if (!remove.Contains(target) && !addedTargets.Contains(target))
                mounts.Add(mount!.DeepClone());
        }
        foreach (var mount in added)
            mounts.Add((JsonNode)mount);
        if (mounts.Count == 0)
            container.Remove("Mounts");
        else
            container["Mounts"] = mounts;
    }

    /// <summary>docker's updatePorts: existing ports minus those whose target/protocol/mode match a --publish-rm, plus new ones, sorted.</summary>
    private static void UpdatePorts(JsonObject endpoint, ParsedFlags flags)
    {
        var current = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var port in endpoint["Ports"] as JsonArray ?? [])
            current.TryAdd(ServicePorts.Key(port!), (JsonObject)port!.DeepClone());
        var remove = flags.List("publish-rm").SelectMany(ServicePorts.Parse).ToList();
        var ports = current.Values.Where(p => !remove.Any(r =>
            r.Str("Protocol") == p.Str("Protocol") && r.Long("TargetPort") == p.Long("TargetPort")
            && (r.Str("PublishMode") == p.Str("PublishMode") || p.Str("PublishMode").Length == 0))).ToList();
        foreach (var port in flags.List("publish-add").SelectMany(ServicePorts.Parse))
        {
            if (!current.ContainsKey(ServicePorts.Key(port)))
                ports.Add(port);
        }
        ports.Sort((a, b) => string.CompareOrdinal(ServicePorts.Key(a), ServicePorts.Key(b)));
        if (ports.Count == 0)
            endpoint.Remove("Ports");
        else
            endpoint["Ports"] = new JsonArray([.. ports.Select(p => (JsonNode?)p)]);
    }

    private static void UpdateHealthcheck(JsonObject container, ParsedFlags flags)
    {
        string[] names = ["health-cmd", "health-interval", "health-timeout", "health-retries", "health-start-period", "health-start-interval", "no-healthcheck"];
        if (!names.Any(flags.Has))
            return;
        var health = container["Healthcheck"] as JsonObject ?? new JsonObject();
        if (flags.Bool("no-healthcheck"))
        {
            if (names.Skip(0).Take(6).Any(flags.Has))
                throw new CliException("--no-healthcheck conflicts with --health-* options");
            container["Healthcheck"] = new JsonObject { ["Test"] = new JsonArray("NONE") };
            return;
        }
        if (SpecJson.Strings(health["Test"]) is ["NONE"])
            health.Remove("Test");
        if (flags.String("health-cmd") is { } cmd)
        {
            if (cmd.Length == 0)
                health.Remove("Test");
            else
                health["Test"] = new JsonArray("CMD-SHELL", cmd);
        }
        if (flags.Duration("health-interval") is { } interval)
            SetNumber(health, "Interval", GoDuration.ToNanoseconds(interval));
        if (flags.Duration("health-timeout") is { } timeout)
            SetNumber(health, "Timeout", GoDuration.ToNanoseconds(timeout));
        if (flags.Duration("health-start-period") is { } period)
            SetNumber(health, "StartPeriod", GoDuration.ToNanoseconds(period));
        if (flags.Duration("health-start-interval") is { } startInterval)
            SetNumber(health, "StartInterval", GoDuration.ToNanoseconds(startInterval));
        if (flags.Int("health-retries") is { } retries)
            SetNumber(health, "Retries", retries);
        container["Healthcheck"] = health;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// A canonical JSON form of a service, built by hand (AOT-safe): members in a fixed order, maps sorted by key, and
/// unset members (null, empty list, empty map, false) left out, so that a member added to the model later does
/// not change the hash of services that do not use it.
/// </summary>
public static class ServiceConfigJson
{
    /// <summary>The service without <c>build</c>, <c>scale</c>, <c>pull_policy</c>, <c>profiles</c> and <c>depends_on</c>:
    /// what Compose leaves out of its config hash, so that building, scaling or reordering recreates nothing.</summary>
    public static JsonObject ForHash(ServiceConfig s)
    {
        var o = new JsonObject();
        Str(o, "name", s.Name);
        Str(o, "image", s.Image);
        List(o, "command", s.Command);
        List(o, "entrypoint", s.Entrypoint);
        if (s.Environment.Count > 0)
        {
            var env = new JsonObject();
            foreach (var (key, value) in s.Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
                env[key] = value;
            o["environment"] = env;
        }
        Map(o, "labels", s.Labels);
        Str(o, "container_name", s.ContainerName);
        Str(o, "hostname", s.Hostname);
        Str(o, "domainname", s.Domainname);
        Str(o, "user", s.User);
        Str(o, "working_dir", s.WorkingDir);
        Str(o, "platform", s.Platform);
        Items(o, "ports", s.Ports, Port);
        List(o, "expose", s.Expose);
        Items(o, "volumes", s.Volumes, Volume);
        List(o, "tmpfs", s.Tmpfs);
        List(o, "volumes_from", s.VolumesFrom);
        if (s.Networks.Count > 0)
        {
            var networks = new JsonObject();
            foreach (var (key, network) in s.Networks.OrderBy(p => p.Key, StringComparer.Ordinal))
                networks[key] = Network(network);
            o["networks"] = networks;
        }
        Str(o, "network_mode", s.NetworkMode);
        List(o, "links", s.Links);
        List(o, "extra_hosts", s.ExtraHosts);
        List(o, "dns", s.Dns);
        List(o, "dns_search", s.DnsSearch);
        List(o, "dns_opt", s.DnsOpt);
        Str(o, "mac_address", s.MacAddress);
        Str(o, "restart", s.Restart);
        if (s.HealthCheck is { } health)
            o["healthcheck"] = HealthCheck(health);
        Str(o, "stop_signal", s.StopSignal);
        Duration(o, "stop_grace_period", s.StopGracePeriod);
        if (s.Init is { } init)
            o["init"] = init;
        Flag(o, "privileged", s.Privileged);
        Flag(o, "read_only", s.ReadOnly);
        Flag(o, "tty", s.Tty);
        Flag(o, "stdin_open", s.StdinOpen);
        List(o, "cap_add", s.CapAdd);
        List(o, "cap_drop", s.CapDrop);
        List(o, "security_opt", s.SecurityOpt);
        List(o, "group_add", s.GroupAdd);
        List(o, "devices", s.Devices);
        Str(o, "ipc", s.Ipc);
        Str(o, "pid", s.Pid);
        Map(o, "sysctls", s.Sysctls);
        if (s.Ulimits.Count > 0)
        {
            var ulimits = new JsonObject();
            foreach (var (key, limit) in s.Ulimits.OrderBy(p => p.Key, StringComparer.Ordinal))
                ulimits[key] = new JsonObject { ["soft"] = limit.Soft, ["hard"] = limit.Hard };
            o["ulimits"] = ulimits;
        }
        Long(o, "mem_limit", s.MemLimit);
        Long(o, "memswap_limit", s.MemswapLimit);
        Long(o, "mem_reservation", s.MemReservation);
        if (s.Cpus is { } cpus)
            o["cpus"] = cpus.ToString("R", CultureInfo.InvariantCulture);
        Long(o, "cpu_shares", s.CpuShares);
        Str(o, "cpuset", s.Cpuset);
        Long(o, "pids_limit", s.PidsLimit);
        Long(o, "shm_size", s.ShmSize);
        if (s.OomKillDisable is { } oomKillDisable)
            o["oom_kill_disable"] = oomKillDisable;
        if (s.OomScoreAdj is { } oomScoreAdj)
            o["oom_score_adj"] = oomScoreAdj;
        if (s.Logging is { } logging)
        {
            var log = new JsonObject();
            Str(log, "driver", logging.Driver);
            Map(log, "options", logging.Options);
            o["logging"] = log;
        }
        Items(o, "secrets", s.Secrets, FileReference);
        Items(o, "configs", s.Configs, FileReference);
        return o;
    }

    private static JsonObject Port(ServicePort p)
    {
        var o = new JsonObject { ["target"] = p.Target };
        Str(o, "published", p.Published);
        Str(o, "host_ip", p.HostIp);
        o["protocol"] = p.Protocol;
        o["mode"] = p.Mode;
        Str(o, "name", p.Name);
        return o;
    }

    private static JsonObject Volume(ServiceVolume v)
    {
        var o = new JsonObject { ["type"] = v.Type };
        Str(o, "source", v.Source);
        o["target"] = v.Target;
        Flag(o, "read_only", v.ReadOnly);
        Str(o, "propagation", v.BindPropagation);
        Flag(o, "create_host_path", v.CreateHostPath);
        Flag(o, "nocopy", v.VolumeNoCopy);
        Map(o, "labels", v.VolumeLabels);
        Long(o, "tmpfs_size", v.TmpfsSize);
        if (v.TmpfsMode is { } mode)
            o["tmpfs_mode"] = mode;
        Str(o, "selinux", v.Selinux);
        return o;
    }

    private static JsonObject Network(ServiceNetwork n)
    {
        var o = new JsonObject();
        List(o, "aliases", n.Aliases);
        Str(o, "ipv4_address", n.Ipv4Address);
        Str(o, "ipv6_address", n.Ipv6Address);
        Str(o, "mac_address", n.MacAddress);
        if (n.Priority is { } priority)
            o["priority"] = priority;
        return o;
    }

    private static JsonObject HealthCheck(HealthCheckConfig h)
    {
        var o = new JsonObject();
        List(o, "test", h.Test);
        Duration(o, "interval", h.Interval);
        Duration(o, "timeout", h.Timeout);
        Duration(o, "start_period", h.StartPeriod);
        Duration(o, "start_interval", h.StartInterval);
        if (h.Retries is { } retries)
            o["retries"] = retries;
        Flag(o, "disable", h.Disable);
        return o;
    }

    private static JsonObject FileReference(ServiceFileReference r) => new() { ["source"] = r.Source, ["target"] = r.Target };

    private static void Str(JsonObject o, string key, string? value)
    {
        if (value is not null)
            o[key] = value;
    }

    private static void Long(JsonObject o, string key, long? value)
    {
        if (value is { } v)
            o[key] = v;
    }

    private static void Flag(JsonObject o, string key, bool value)
    {
        if (value)
            o[key] = true;
    }

    private static void Duration(JsonObject o, string key, TimeSpan? value)
    {
        if (value is { } v)
            o[key] = v.Ticks * 100;
    }

    /// <summary>A list is kept even when empty if it is set: an empty command differs from no command.</summary>
    private static void List(JsonObject o, string key, IReadOnlyList<string>? values)
    {
        if (values is null || (values.Count == 0 && key is not ("command" or "entrypoint" or "test")))
            return;
        o[key] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
    }

    private static void Map(JsonObject o, string key, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
            return;
        var map = new JsonObject();
        foreach (var (k, v) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            map[k] = v;
        o[key] = map;
    }

    private static void Items<T>(JsonObject o, string key, IReadOnlyList<T> values, Func<T, JsonObject> convert)
    {
        if (values.Count > 0)
            o[key] = new JsonArray(values.Select(v => (JsonNode?)convert(v)).ToArray());
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Compose.Model.Reading;
using Berth.GoText;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Compose.Model;

/// <summary>
/// The project as <c>docker compose config</c> prints it. One canonical tree is built from the model (long syntax,
/// absolute paths, unset fields left out, map keys sorted as Go prints maps) and then written as YAML or JSON, so
/// both formats always carry the same content.
/// </summary>
public static partial class ProjectWriter
{
    /// The project as `docker compose config` prints it: YAML, keys in Compose's canonical form (name, services sorted
    /// by name, networks, volumes, secrets, configs), long syntax everywhere, absolute paths.
    public static string ToYaml(ComposeProject project)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(
            bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024,
            skipAnchorName: false, indentSequences: true));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitYaml(emitter, Tree(project));
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    /// Same content as JSON (`config --format json`), indented.
    public static string ToJson(ComposeProject project)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
               {
                   Indented = true,
                   Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            Tree(project).WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static JsonObject Tree(ComposeProject project)
    {
        var tree = new JsonObject { ["name"] = project.Name };
        tree["services"] = Map(project.Services, Service, emptyAsNull: false);
        Put(tree, "networks", Map(project.Networks, Network));
        Put(tree, "volumes", Map(project.Volumes, Volume));
        Put(tree, "secrets", Map(project.Secrets, FileObject));
        Put(tree, "configs", Map(project.Configs, FileObject));
        return tree;
    }

    /// <summary>
    /// One service as <c>config</c> prints it: keys sorted, unset members left out. Also the canonical form the
    /// runner's config hash is computed from, so a member added to the model later changes no existing hash.
    /// </summary>
    public static JsonObject ServiceTree(ServiceConfig service) => Service(service);

    private static JsonObject Service(ServiceConfig s)
    {
        // Compose prints a service's keys in alphabetical order; they are sorted once everything is in.
        var o = new JsonObject();
        Put(o, "build", s.Build is null ? null : Build(s.Build));
        Put(o, "cap_add", Strings(s.CapAdd));
        Put(o, "cap_drop", Strings(s.CapDrop));
        Put(o, "command", s.Command is null ? null : Strings(s.Command, keepEmpty: true));
        Put(o, "configs", FileReferences(s.Configs));
        Put(o, "container_name", s.ContainerName);
        Put(o, "cpu_shares", s.CpuShares);
        Put(o, "cpus", s.Cpus);
        Put(o, "cpuset", s.Cpuset);
        Put(o, "depends_on", Map(s.DependsOn, d => new JsonObject
        {
            ["condition"] = d.Condition,
            ["required"] = d.Required,
            ["restart"] = d.Restart,
        }));
        Put(o, "devices", Strings(s.Devices));
        Put(o, "dns", Strings(s.Dns));
        Put(o, "dns_opt", Strings(s.DnsOpt));
        Put(o, "dns_search", Strings(s.DnsSearch));
        Put(o, "domainname", s.Domainname);
        Put(o, "entrypoint", s.Entrypoint is null ? null : Strings(s.Entrypoint, keepEmpty: true));
        Put(o, "environment", Map(s.Environment, value => value is null ? null : JsonValue.Create(value)));
        Put(o, "expose", Strings(s.Expose));
        Put(o, "extra_hosts", Strings(s.ExtraHosts));
        Put(o, "group_add", Strings(s.GroupAdd));
        Put(o, "healthcheck", s.HealthCheck is null ? null : HealthCheck(s.HealthCheck));
        Put(o, "hostname", s.Hostname);
        Put(o, "image", s.Image);
        Put(o, "init", s.Init);
        Put(o, "ipc", s.Ipc);
        Put(o, "labels", Map(s.Labels, Text));
        Put(o, "links", Strings(s.Links));
        Put(o, "logging", s.Logging is null ? null : Logging(s.Logging));
        Put(o, "mac_address", s.MacAddress);
        Put(o, "mem_limit", s.MemLimit);
        Put(o, "mem_reservation", s.MemReservation);
        Put(o, "memswap_limit", s.MemswapLimit);
        Put(o, "network_mode", s.NetworkMode);
        Put(o, "networks", Map(s.Networks, ServiceNetwork));
        Put(o, "oom_kill_disable", s.OomKillDisable);
        Put(o, "oom_score_adj", s.OomScoreAdj);
        Put(o, "pid", s.Pid);
        Put(o, "pids_limit", s.PidsLimit);
        Put(o, "platform", s.Platform);
        Put(o, "ports", List(s.Ports, Port));
        Put(o, "privileged", s.Privileged ? true : null);
        Put(o, "profiles", Strings(s.Profiles));
        Put(o, "pull_policy", s.PullPolicy);
        Put(o, "read_only", s.ReadOnly ? true : null);
        Put(o, "restart", s.Restart);
        Put(o, "scale", s.Scale);
        Put(o, "secrets", FileReferences(s.Secrets));
        Put(o, "security_opt", Strings(s.SecurityOpt));
        Put(o, "shm_size", s.ShmSize);
        Put(o, "stdin_open", s.StdinOpen ? true : null);
        Put(o, "stop_grace_period", Duration(s.StopGracePeriod));
        Put(o, "stop_signal", s.StopSignal);
        Put(o, "sysctls", Map(s.Sysctls, Text));
        Put(o, "tmpfs", Strings(s.Tmpfs));
        Put(o, "tty", s.Tty ? true : null);
        Put(o, "ulimits", Map(s.Ulimits, u => u.Soft == u.Hard
            ? JsonValue.Create(u.Soft)
            : new JsonObject { ["soft"] = u.Soft, ["hard"] = u.Hard }));
        Put(o, "user", s.User);
        Put(o, "volumes", List(s.Volumes, ServiceVolume));
        Put(o, "volumes_from", Strings(s.VolumesFrom));
        Put(o, "working_dir", s.WorkingDir);
        return Sorted(o);
    }

    private static JsonObject Build(BuildConfig b)
    {
        var o = new JsonObject { ["context"] = b.Context };
        Put(o, "dockerfile", b.DockerfileInline is null ? b.Dockerfile ?? "Dockerfile" : b.Dockerfile);
        Put(o, "dockerfile_inline", b.DockerfileInline);
        Put(o, "args", Map(b.Args, value => value is null ? null : JsonValue.Create(value)));
        Put(o, "labels", Map(b.Labels, Text));
        Put(o, "target", b.Target);
        Put(o, "network", b.Network);
        Put(o, "cache_from", Strings(b.CacheFrom));
        Put(o, "extra_hosts", Strings(b.ExtraHosts));
        Put(o, "tags", Strings(b.Tags));
        Put(o, "no_cache", b.NoCache ? true : null);
        Put(o, "pull", b.Pull ? true : null);
        Put(o, "shm_size", b.ShmSize);
        return o;
    }

    private static JsonObject HealthCheck(HealthCheckConfig h)
    {
        var o = new JsonObject();
        Put(o, "test", h.Test is null ? null : Strings(h.Test));
        Put(o, "timeout", Duration(h.Timeout));
        Put(o, "interval", Duration(h.Interval));
        Put(o, "retries", h.Retries);
        Put(o, "start_period", Duration(h.StartPeriod));
        Put(o, "start_interval", Duration(h.StartInterval));
        Put(o, "disable", h.Disable ? true : null);
        return o;
    }

    private static JsonObject Logging(LoggingConfig l)
    {
        var o = new JsonObject();
        Put(o, "driver", l.Driver);
        Put(o, "options", Map(l.Options, Text));
        return o;
    }

    /// <summary>A network a service joins with no options prints as null, as Compose shows <c>default: null</c>.</summary>
    private static JsonNode? ServiceNetwork(ServiceNetwork n)
    {
        var o = new JsonObject();
        Put(o, "aliases", Strings(n.Aliases));
        Put(o, "ipv4_address", n.Ipv4Address);
        Put(o, "ipv6_address", n.Ipv6Address);
        Put(o, "mac_address", n.MacAddress);
        Put(o, "priority", n.Priority);
        return o.Count == 0 ? null : o;
    }

    private static JsonObject Port(ServicePort p)
    {
        var o = new JsonObject();
        Put(o, "name", p.Name);
        Put(o, "mode", p.Mode);
        Put(o, "host_ip", p.HostIp);
        Put(o, "target", p.Target);
        Put(o, "published", p.Published);
        Put(o, "protocol", p.Protocol);
        return o;
    }

    private static JsonObject ServiceVolume(ServiceVolume v)
    {
        var o = new JsonObject { ["type"] = v.Type };
        Put(o, "source", v.Source);
        Put(o, "target", v.Target);
        Put(o, "read_only", v.ReadOnly ? true : null);
        if (v.Type == "bind")
        {
            var bind = new JsonObject();
            Put(bind, "propagation", v.BindPropagation);
            Put(bind, "create_host_path", v.CreateHostPath ? true : null);
            Put(bind, "selinux", v.Selinux);
            Put(o, "bind", bind.Count == 0 ? null : bind);
        }
        if (v.Type == "volume")
        {
            var volume = new JsonObject();
            Put(volume, "nocopy", v.VolumeNoCopy ? true : null);
            Put(volume, "labels", Map(v.VolumeLabels, Text));
            Put(o, "volume", volume.Count == 0 ? null : volume);
        }
        if (v.Type == "tmpfs")
        {
            var tmpfs = new JsonObject();
            Put(tmpfs, "size", v.TmpfsSize);
            Put(tmpfs, "mode", v.TmpfsMode);
            Put(o, "tmpfs", tmpfs.Count == 0 ? null : tmpfs);
        }
        return o;
    }

    private static JsonNode? FileReferences(IReadOnlyList<ServiceFileReference> references) =>
        List(references, r =>
        {
            var reference = new JsonObject { ["source"] = r.Source, ["target"] = r.Target };
            Put(reference, "uid", r.Uid);
            Put(reference, "gid", r.Gid);
            Put(reference, "mode", r.Mode);
            return reference;
        });

    private static JsonObject Network(NetworkConfig n)
    {
        var o = new JsonObject { ["name"] = n.Name };
        Put(o, "driver", n.Driver);
        Put(o, "driver_opts", Map(n.DriverOpts, Text));
        if (n.Ipam is { } ipam)
        {
            var i = new JsonObject();
            Put(i, "driver", ipam.Driver);
            Put(i, "config", List(ipam.Config, pool =>
            {
                var p = new JsonObject();
                Put(p, "subnet", pool.Subnet);
                Put(p, "gateway", pool.Gateway);
                Put(p, "ip_range", pool.IpRange);
                Put(p, "aux_addresses", Map(pool.AuxAddresses, Text));
                return p;
            }));
            Put(i, "options", Map(ipam.Options, Text));
            o["ipam"] = i;
        }
        Put(o, "external", n.External ? true : null);
        Put(o, "internal", n.Internal ? true : null);
        Put(o, "attachable", n.Attachable ? true : null);
        Put(o, "enable_ipv6", n.EnableIpv6 ? true : null);
        Put(o, "labels", Map(n.Labels, Text));
        return o;
    }

    private static JsonObject Volume(VolumeConfig v)
    {
        var o = new JsonObject { ["name"] = v.Name };
        Put(o, "driver", v.Driver);
        Put(o, "driver_opts", Map(v.DriverOpts, Text));
        Put(o, "external", v.External ? true : null);
        Put(o, "labels", Map(v.Labels, Text));
        return o;
    }

    private static JsonObject FileObject(FileObjectConfig f)
    {
        var o = new JsonObject { ["name"] = f.Name };
        Put(o, "file", f.File);
        Put(o, "environment", f.Environment);
        Put(o, "content", f.Content);
        Put(o, "external", f.External ? true : null);
        return o;
    }

    private static JsonNode Text(string value) => JsonValue.Create(value);

    private static string? Duration(TimeSpan? duration) => duration is { } d ? GoDuration.Format(d) : null;

    private static void Put(JsonObject o, string key, JsonNode? value)
    {
        if (value is not null)
            o[key] = value;
    }

    private static void Put(JsonObject o, string key, string? value)
    {
        if (value is not null)
            o[key] = JsonValue.Create(value);
    }

    private static void Put(JsonObject o, string key, long? value)
    {
        if (value is { } v)
            o[key] = JsonValue.Create(v);
    }

    private static void Put(JsonObject o, string key, double? value)
    {
        if (value is { } v)
            o[key] = JsonValue.Create(v);
    }

    private static void Put(JsonObject o, string key, bool? value)
    {
        if (value is { } v)
            o[key] = JsonValue.Create(v);
    }

    /// <summary>A map with keys in ordinal order, as Go prints maps; null when empty so the key is left out.</summary>
    private static JsonObject? Map<T>(IReadOnlyDictionary<string, T> map, Func<T, JsonNode?> value, bool emptyAsNull = true)
    {
        if (map.Count == 0 && emptyAsNull)
            return null;
        var o = new JsonObject();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
            o[key] = value(map[key]);
        return o;
    }

    private static JsonArray? List<T>(IReadOnlyList<T> items, Func<T, JsonNode> item)
    {
        if (items.Count == 0)
            return null;
        var array = new JsonArray();
        foreach (var x in items)
            array.Add(item(x));
        return array;
    }

    private static JsonArray? Strings(IReadOnlyList<string> items, bool keepEmpty = false)
    {
        if (items.Count == 0 && !keepEmpty)
            return null;
        var array = new JsonArray();
        foreach (var x in items)
            array.Add((JsonNode)JsonValue.Create(x));
        return array;
    }

    private static JsonObject Sorted(JsonObject o)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in o.OrderBy(entry => entry.Key, StringComparer.Ordinal).ToList())
        {
            o.Remove(key);
            sorted[key] = value;
        }
        return sorted;
    }

    private static void EmitYaml(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true,
                    mapping.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in mapping)
                {
                    EmitScalar(emitter, key);
                    EmitYaml(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray sequence:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true,
                    sequence.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in sequence)
                    EmitYaml(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitScalar(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                // Numbers and booleans print as themselves, unquoted.
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value.ToJsonString(), ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
        }
    }

    /// <summary>
    /// A string is quoted when a YAML reader would otherwise take it for something else (published: "8080",
    /// a label "true"); text of several lines is written as a literal block, as Compose prints inline Dockerfiles.
    /// </summary>
    private static void EmitScalar(IEmitter emitter, string text)
    {
        var style = text.Length == 0 || LooksTyped().IsMatch(text)
            ? ScalarStyle.DoubleQuoted
            : text.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text, style, true, true));
    }

    [GeneratedRegex(@"^(~|null|Null|NULL|[yY]|yes|Yes|YES|[nN]|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
        + @"|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
        + @"|0x[0-9a-fA-F_]+|0o[0-7]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$")]
    private static partial Regex LooksTyped();
}

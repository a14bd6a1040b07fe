using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.GoText;

namespace Berth.Cli.Containers;

/// <summary>
/// Turns run/create flags into the create body the docker CLI sends: the full Config + HostConfig +
/// NetworkingConfig with Go's zero values and omitempty rules, so berthd and dockerd see the same JSON.
/// </summary>
public static class CreateRequestBuilder
{
    public static CreateRequest Build(ParsedFlags flags, Func<string, string?> environment, bool detach, bool stdoutIsTerminal,
        Func<(int Rows, int Columns)?> terminalSize)
    {
        var image = flags.Positionals[0];
        var command = flags.Positionals.Skip(1).ToList();

        var attach = flags.List("attach").Select(a => a.ToLowerInvariant()).ToHashSet();
        var interactive = flags.Bool("interactive");
        var tty = flags.Bool("tty");
        bool attachStdin, attachStdout, attachStderr;
        if (detach)
        {
            if (attach.Count > 0)
                throw new CliException("conflicting options: cannot specify both --attach and --detach");
            attachStdin = attachStdout = attachStderr = false;
        }
        else if (attach.Count > 0)
        {
            attachStdin = attach.Contains("stdin");
            attachStdout = attach.Contains("stdout");
            attachStderr = attach.Contains("stderr");
        }
        else
        {
            attachStdin = interactive;
            attachStdout = attachStderr = true;
        }

        var ports = new PortSpecs();
        foreach (var spec in flags.List("publish"))
            ports.AddPublish(spec);
        foreach (var spec in flags.List("expose"))
            ports.AddExpose(spec);

        var binds = new List<string>();
        var anonymous = new List<string>();
        foreach (var spec in flags.List("volume"))
        {
            if (VolumeSpecs.ParseVolume(spec) is { } target)
                anonymous.Add(target);
            else
                binds.Add(spec);
        }
        var mounts = flags.List("mount").Select(VolumeSpecs.ParseMount).ToList();

        var env = new List<string>();
        foreach (var file in flags.List("env-file"))
            env.AddRange(KeyValueFiles.ReadEnvFile(file, environment));
        env.AddRange(flags.List("env").Select(e => KeyValueFiles.ExpandEnv(e, environment)));

        var labels = new List<string>();
        foreach (var file in flags.List("label-file"))
            labels.AddRange(KeyValueFiles.ReadLabelFile(file, environment));
        labels.AddRange(flags.List("label"));

        var network = flags.String("network") ?? flags.String("net");
        var aliases = flags.List("network-alias").Concat(flags.List("net-alias")).ToList();

        var config = new JsonObject
        {
            ["Hostname"] = flags.StringOr("hostname", ""),
            ["Domainname"] = flags.StringOr("domainname", ""),
            ["User"] = flags.StringOr("user", ""),
            ["AttachStdin"] = attachStdin,
            ["AttachStdout"] = attachStdout,
            ["AttachStderr"] = attachStderr,
        };
        if (ports.Exposed.Count > 0)
        {
            var exposed = new JsonObject();
            foreach (var port in ports.Exposed)
                exposed[port] = new JsonObject();
            config["ExposedPorts"] = exposed;
        }
        config["Tty"] = tty;
        config["OpenStdin"] = interactive;
        config["StdinOnce"] = attachStdin;
        config["Env"] = StringsOrNull(env);
        config["Cmd"] = StringsOrNull(command);
        if (Healthcheck(flags) is { } health)
            config["Healthcheck"] = health;
        config["Image"] = image;
        var volumes = new JsonObject();
        foreach (var target in anonymous)
            volumes[target] = new JsonObject();
        config["Volumes"] = volumes;
        config["WorkingDir"] = flags.StringOr("workdir", "");
        config["Entrypoint"] = flags.String("entrypoint") is { } entrypoint ? new JsonArray(entrypoint) : null;
        config["OnBuild"] = null;
        config["Labels"] = KeyValueMap(labels);
        if (flags.String("stop-signal") is { Length: > 0 } stopSignal)
            config["StopSignal"] = stopSignal;
        if (flags.Int("stop-timeout") is { } stopTimeout)
            config["StopTimeout"] = stopTimeout;

        var hostConfig = HostConfig(flags, binds, ports, mounts, network, tty, stdoutIsTerminal, terminalSize);
        config["HostConfig"] = hostConfig;
        config["NetworkingConfig"] = NetworkingConfig(flags, network, aliases);

        var pull = flags.StringOr("pull", "missing");
        if (pull is not ("missing" or "always" or "never"))
            throw new InvalidOptionException($"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"");

        return new CreateRequest(config, image, flags.String("name"), flags.String("platform"), pull, flags.String("cidfile"),
            tty, attachStdin, attachStdout, attachStderr, interactive, flags.Bool("rm"));
    }

    private static JsonObject HostConfig(ParsedFlags flags, List<string> binds, PortSpecs ports, List<JsonObject> mounts,
        string? network, bool tty, bool stdoutIsTerminal, Func<(int Rows, int Columns)?> terminalSize)
    {
        var logConfig = new JsonObject
        {
            ["Type"] = flags.StringOr("log-driver", ""),
            ["Config"] = KeyValueMap(flags.List("log-opt")),
        };
        var consoleSize = new JsonArray(0, 0);
        if (tty && stdoutIsTerminal && terminalSize() is { } size)
            consoleSize = new JsonArray(size.Rows, size.Columns);

        var host = new JsonObject
        {
            ["Binds"] = StringsOrNull(binds),
            ["ContainerIDFile"] = flags.StringOr("cidfile", ""),
            ["LogConfig"] = logConfig,
            ["NetworkMode"] = string.IsNullOrEmpty(network) ? "default" : network,
            ["PortBindings"] = ports.BindingsJson(),
            ["RestartPolicy"] = RestartPolicy(flags.StringOr("restart", "no")),
            ["AutoRemove"] = flags.Bool("rm"),
            ["VolumeDriver"] = flags.StringOr("volume-driver", ""),
            ["VolumesFrom"] = StringsOrNull(flags.List("volumes-from")),
            ["ConsoleSize"] = consoleSize,
        };
        if (flags.List("annotation").Count > 0)
            host["Annotations"] = KeyValueMap(flags.List("annotation"));
        host["CapAdd"] = StringsOrNull(Capabilities(flags.List("cap-add")));
        host["CapDrop"] = StringsOrNull(Capabilities(flags.List("cap-drop")));
        host["CgroupnsMode"] = flags.StringOr("cgroupns", "");
        host["Dns"] = Strings(flags.List("dns"));
        host["DnsOptions"] = Strings(flags.List("dns-option").Concat(flags.List("dns-opt")));
        host["DnsSearch"] = Strings(flags.List("dns-search"));
        host["ExtraHosts"] = StringsOrNull(flags.List("add-host").Select(ExtraHost).ToList());
        host["GroupAdd"] = StringsOrNull(flags.List("group-add"));
        host["IpcMode"] = flags.StringOr("ipc", "");
        host["Cgroup"] = "";
        host["Links"] = StringsOrNull(flags.List("link"));
        host["OomScoreAdj"] = flags.Int("oom-score-adj") ?? 0;
        host["PidMode"] = flags.StringOr("pid", "");
        host["Privileged"] = flags.Bool("privileged");
        host["PublishAllPorts"] = flags.Bool("publish-all");
        host["ReadonlyRootfs"] = flags.Bool("read-only");
        host["SecurityOpt"] = StringsOrNull(SecurityOptions(flags.List("security-opt")));
        if (flags.List("storage-opt").Count > 0)
            host["StorageOpt"] = KeyValueMap(flags.List("storage-opt"));
        if (flags.List("tmpfs").Count > 0)
            host["Tmpfs"] = Tmpfs(flags.List("tmpfs"));
        host["UTSMode"] = flags.StringOr("uts", "");
        host["UsernsMode"] = flags.StringOr("userns", "");
        host["ShmSize"] = flags.String("shm-size") is { } shm ? ByteSizes.ParseRam(shm) : 0;
        if (flags.List("sysctl").Count > 0)
            host["Sysctls"] = KeyValueMap(flags.List("sysctl"));
        if (flags.String("runtime") is { Length: > 0 } runtime)
            host["Runtime"] = runtime;
        host["Isolation"] = flags.StringOr("isolation", "");

        long nanoCpus = 0;
        if (flags.String("cpus") is { } cpus)
            ByteSizes.TryParseNanoCpus(cpus, out nanoCpus, out _);
        host["CpuShares"] = flags.Int("cpu-shares") ?? 0;
        host["Memory"] = flags.String("memory") is { } memory ? ByteSizes.ParseRam(memory) : 0;
        host["NanoCpus"] = nanoCpus;
        host["CgroupParent"] = flags.StringOr("cgroup-parent", "");
        host["BlkioWeight"] = flags.Int("blkio-weight") ?? 0;
        host["BlkioWeightDevice"] = WeightDevices(flags.List("blkio-weight-device"));
        host["BlkioDeviceReadBps"] = ThrottleDevices(flags.List("device-read-bps"), bytes: true);
        host["BlkioDeviceWriteBps"] = ThrottleDevices(flags.List("device-write-bps"), bytes: true);
        host["BlkioDeviceReadIOps"] = ThrottleDevices(flags.List("device-read-iops"), bytes: false);
        host["BlkioDeviceWriteIOps"] = ThrottleDevices(flags.List("device-write-iops"), bytes: false);
        host["CpuPeriod"] = flags.Int("cpu-period") ?? 0;
        host["CpuQuota"] = flags.Int("cpu-quota") ?? 0;
        host["CpuRealtimePeriod"] = flags.Int("cpu-rt-period") ?? 0;
        host["CpuRealtimeRuntime"] = flags.Int("cpu-rt-runtime") ?? 0;
        host["CpusetCpus"] = flags.StringOr("cpuset-cpus", "");
        host["CpusetMems"] = flags.StringOr("cpuset-mems", "");
        host["Devices"] = Devices(flags.List("device"));
        host["DeviceCgroupRules"] = StringsOrNull(flags.List("device-cgroup-rule"));
        host["DeviceRequests"] = Gpus(flags.String("gpus"));
        if (flags.String("kernel-memory") is { } kernelMemory && ByteSizes.ParseRam(kernelMemory) is var km && km != 0)
            host["KernelMemory"] = km;
        host["MemoryReservation"] = flags.String("memory-reservation") is { } reservation ? ByteSizes.ParseRam(reservation) : 0;
        host["MemorySwap"] = flags.String("memory-swap") is { } swap ? (swap == "-1" ? -1 : ByteSizes.ParseRam(swap)) : 0;
        host["MemorySwappiness"] = flags.Int("memory-swappiness") ?? -1;
        host["OomKillDisable"] = flags.Bool("oom-kill-disable");
        host["PidsLimit"] = flags.Int("pids-limit") ?? 0;
        host["Ulimits"] = Ulimits(flags.List("ulimit"));
        host["CpuCount"] = flags.Int("cpu-count") ?? 0;
        host["CpuPercent"] = flags.Int("cpu-percent") ?? 0;
        host["IOMaximumIOps"] = 0;
        host["IOMaximumBandwidth"] = 0;
        if (mounts.Count > 0)
            host["Mounts"] = new JsonArray([.. mounts]);
        host["MaskedPaths"] = null;
        host["ReadonlyPaths"] = null;
        if (flags.OptionalBool("init") is { } init)
            host["Init"] = init;
        return host;
    }

    private static JsonObject NetworkingConfig(ParsedFlags flags, string? network, List<string> aliases)
    {
        var endpoints = new JsonObject();
        var ip = flags.String("ip");
        var ip6 = flags.String("ip6");
        var linkLocal = flags.List("link-local-ip");
        var links = flags.List("link");
        var mac = flags.String("mac-address");
        var userDefined = !string.IsNullOrEmpty(network) && !IsBuiltinNetwork(network);
        if (aliases.Count > 0 && !userDefined)
            throw new InvalidOptionException("network-scoped aliases are only supported for user-defined networks");
        var hasEndpointSettings = !string.IsNullOrEmpty(ip) || !string.IsNullOrEmpty(ip6) || linkLocal.Count > 0 || aliases.Count > 0
            || !string.IsNullOrEmpty(mac) || (userDefined && links.Count > 0);
        if (string.IsNullOrEmpty(network))
            endpoints["default"] = Endpoint(ip, ip6, linkLocal, [], aliases, mac);
        else if (hasEndpointSettings)
            endpoints[network] = Endpoint(ip, ip6, linkLocal, userDefined ? links : [], aliases, mac);
        return new JsonObject { ["EndpointsConfig"] = endpoints };
    }

    private static bool IsBuiltinNetwork(string network)
        => network is "default" or "bridge" or "host" or "none" || network.StartsWith("container:", StringComparison.Ordinal);

    private static JsonObject Endpoint(string? ip, string? ip6, IReadOnlyList<string> linkLocal, IReadOnlyList<string> links,
        IReadOnlyList<string> aliases, string? mac)
    {
        JsonNode? ipam = null;
        if (!string.IsNullOrEmpty(ip) || !string.IsNullOrEmpty(ip6) || linkLocal.Count > 0)
        {
            var obj = new JsonObject();
            if (!string.IsNullOrEmpty(ip))
                obj["IPv4Address"] = ip;
            if (!string.IsNullOrEmpty(ip6))
                obj["IPv6Address"] = ip6;
            if (linkLocal.Count > 0)
                obj["LinkLocalIPs"] = Strings(linkLocal);
            ipam = obj;
        }
        return new JsonObject
        {
            ["IPAMConfig"] = ipam,
            ["Links"] = StringsOrNull(links),
            ["Aliases"] = StringsOrNull(aliases),
            ["MacAddress"] = mac ?? "",
            ["DriverOpts"] = null,
            ["GwPriority"] = 0,
            ["NetworkID"] = "",
            ["EndpointID"] = "",
            ["Gateway"] = "",
            ["IPAddress"] = "",
            ["IPPrefixLen"] = 0,
            ["IPv6Gateway"] = "",
            ["GlobalIPv6Address"] = "",
            ["GlobalIPv6PrefixLen"] = 0,
            ["DNSNames"] = null,
        };
    }

    private static JsonObject? Healthcheck(ParsedFlags flags)
    {
        var disabled = flags.Bool("no-healthcheck");
        var cmd = flags.String("health-cmd");
        var interval = flags.Duration("health-interval");
        var timeout = flags.Duration("health-timeout");
        var startPeriod = flags.Duration("health-start-period");
        var startInterval = flags.Duration("health-start-interval");
        var retries = flags.Int("health-retries");
        var haveSettings = !string.IsNullOrEmpty(cmd) || (interval ?? TimeSpan.Zero) != TimeSpan.Zero
            || (timeout ?? TimeSpan.Zero) != TimeSpan.Zero || (startPeriod ?? TimeSpan.Zero) != TimeSpan.Zero
            || (startInterval ?? TimeSpan.Zero) != TimeSpan.Zero || (retries ?? 0) != 0;
        if (disabled)
        {
            if (haveSettings)
                throw new InvalidOptionException("--no-healthcheck conflicts with --health-* options");
            return new JsonObject { ["Test"] = new JsonArray("NONE") };
        }
        if (!haveSettings)
            return null;
        foreach (var (name, value) in new[] { ("--health-interval", interval), ("--health-timeout", timeout),
                     ("--health-start-period", startPeriod), ("--health-start-interval", startInterval) })
        {
            if (value < TimeSpan.Zero)
                throw new InvalidOptionException($"{name} cannot be negative");
        }
        if (retries < 0)
            throw new InvalidOptionException("--health-retries cannot be negative");
        var health = new JsonObject();
        if (!string.IsNullOrEmpty(cmd))
            health["Test"] = new JsonArray("CMD-SHELL", cmd);
        if (interval is { } i && i != TimeSpan.Zero)
            health["Interval"] = GoDuration.ToNanoseconds(i);
        if (timeout is { } t && t != TimeSpan.Zero)
            health["Timeout"] = GoDuration.ToNanoseconds(t);
        if (startPeriod is { } sp && sp != TimeSpan.Zero)
            health["StartPeriod"] = GoDuration.ToNanoseconds(sp);
        if (startInterval is { } si && si != TimeSpan.Zero)
            health["StartInterval"] = GoDuration.ToNanoseconds(si);
        if (retries is { } r && r != 0)
            health["Retries"] = r;
        return health;
    }

    internal static JsonObject RestartPolicy(string text)
    {
        var colon = text.IndexOf(':');
        var name = colon >= 0 ? text[..colon] : text;
        long count = 0;
        if (colon >= 0)
        {
            var countText = text[(colon + 1)..];
            if (name is "always" or "unless-stopped" or "no")
                throw new InvalidOptionException($"maximum retry count cannot be used with restart policy '{name}'");
            if (!long.TryParse(countText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
                throw new InvalidOptionException("maximum retry count must be an integer");
        }
        return new JsonObject { ["Name"] = name.Length == 0 ? "no" : name, ["MaximumRetryCount"] = count };
    }

    private static List<string> Capabilities(IEnumerable<string> caps)
    {
        var result = new List<string>();
        foreach (var cap in caps)
        {
            var upper = cap.Trim().ToUpperInvariant();
            if (upper.Length == 0)
                continue;
            if (upper != "ALL" && !upper.StartsWith("CAP_", StringComparison.Ordinal))
                upper = "CAP_" + upper;
            if (!result.Contains(upper))
                result.Add(upper);
        }
        return result;
    }

    internal static string ExtraHost(string value)
    {
        var separator = value.IndexOf('=');
        if (separator < 0)
            separator = value.IndexOf(':');
        if (separator <= 0)
            throw new InvalidOptionException($"bad format for add-host: \"{value}\"");
        return value[..separator] + ":" + value[(separator + 1)..];
    }

    private static List<string> SecurityOptions(IEnumerable<string> options)
    {
        var result = new List<string>();
        foreach (var option in options)
        {
            if (option == "no-new-privileges")
            {
                result.Add(option);
                continue;
            }
            var eq = option.IndexOf('=');
            var (key, value) = eq >= 0 ? (option[..eq], option[(eq + 1)..])
                : option.IndexOf(':') is var colon and >= 0 ? (option[..colon], option[(colon + 1)..])
                : throw new InvalidOptionException($"Invalid --security-opt: \"{option}\"");
            if (key == "seccomp" && value is not ("unconfined" or "builtin"))
            {
                string profile;
                try
                {
                    profile = File.ReadAllText(value);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidOptionException($"opening seccomp profile ({value}) failed: open {value}: no such file or directory");
                }
                var node = JsonNode.Parse(profile);
                result.Add("seccomp=" + Berth.Client.Json.Serialize(node));
                continue;
            }
            result.Add(option);
        }
        return result;
    }

    private static JsonObject Tmpfs(IEnumerable<string> specs)
    {
        var map = new JsonObject();
        foreach (var spec in specs)
        {
            var colon = spec.IndexOf(':');
            var path = colon >= 0 ? spec[..colon] : spec;
            map[path] = colon >= 0 ? spec[(colon + 1)..] : "";
        }
        return map;
    }

    private static JsonArray Devices(IEnumerable<string> specs)
    {
        var array = new JsonArray();
        foreach (var spec in specs)
        {
            var parts = spec.Split(':');
            string source = parts[0], target = parts[0], permissions = "rwm";
            switch (parts.Length)
            {
                case 1:
                    break;
                case 2 when IsDevicePermissions(parts[1]):
                    permissions = parts[1];
                    break;
                case 2:
                    target = parts[1];
                    break;
                case 3:
                    if (!IsDevicePermissions(parts[2]))
                        throw new InvalidOptionException($"invalid device mode: {parts[2]}");
                    target = parts[1];
                    permissions = parts[2];
                    break;
                default:
                    throw new InvalidOptionException($"invalid device specification: {spec}");
            }
            array.Add((JsonNode)new JsonObject { ["PathOnHost"] = source, ["PathInContainer"] = target, ["CgroupPermissions"] = permissions });
        }
        return array;
    }

    private static bool IsDevicePermissions(string text) => text.Length is > 0 and <= 3 && text.All(c => c is 'r' or 'w' or 'm');

    internal static JsonArray Ulimits(IEnumerable<string> specs)
    {
        var byName = new SortedDictionary<string, (long Soft, long Hard)>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=');
            if (eq <= 0)
                throw new InvalidOptionException($"invalid ulimit argument: {spec}");
            var name = spec[..eq];
            var values = spec[(eq + 1)..].Split(':');
            if (values.Length > 2 || !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var soft))
                throw new InvalidOptionException($"invalid ulimit argument: {spec}");
            var hard = soft;
            if (values.Length == 2 && !long.TryParse(values[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out hard))
                throw new InvalidOptionException($"invalid ulimit argument: {spec}");
            if (soft > hard)
                throw new InvalidOptionException($"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
            byName[name] = (soft, hard);
        }
        var array = new JsonArray();
        foreach (var (name, (soft, hard)) in byName)
            array.Add((JsonNode)new JsonObject { ["Name"] = name, ["Hard"] = hard, ["Soft"] = soft });
        return array;
    }

    private static JsonArray WeightDevices(IEnumerable<string> specs)
    {
        var array = new JsonArray();
        foreach (var spec in specs)
        {
            var colon = spec.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(spec[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
                throw new InvalidOptionException($"invalid weight device: {spec}");
            array.Add((JsonNode)new JsonObject { ["Path"] = spec[..colon], ["Weight"] = weight });
        }
        return array;
    }

    private static JsonArray ThrottleDevices(IEnumerable<string> specs, bool bytes)
    {
        var array = new JsonArray();
        foreach (var spec in specs)
        {
            var colon = spec.LastIndexOf(':');
            long rate = 0;
            var ok = colon > 0 && (bytes
                ? ByteSizes.TryParseRam(spec[(colon + 1)..], out rate)
                : long.TryParse(spec[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out rate));
            if (!ok)
                throw new InvalidOptionException($"invalid device rate: {spec}");
            array.Add((JsonNode)new JsonObject { ["Path"] = spec[..colon], ["Rate"] = rate });
        }
        return array;
    }

    private static JsonNode? Gpus(string? gpus)
    {
        if (string.IsNullOrEmpty(gpus))
            return null;
        if (gpus != "all" && !int.TryParse(gpus, out _))
            throw new InvalidOptionException($"unsupported --gpus value: {gpus}");
        var count = gpus == "all" ? -1 : int.Parse(gpus, CultureInfo.InvariantCulture);
        return new JsonArray(new JsonObject
        {
            ["Driver"] = "",
            ["Count"] = count,
            ["DeviceIDs"] = null,
            ["Capabilities"] = new JsonArray(new JsonArray("gpu")),
            ["Options"] = new JsonObject(),
        });
    }

    private static JsonObject KeyValueMap(IEnumerable<string> pairs)
    {
        var entries = new List<KeyValuePair<string, string>>();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            var key = eq >= 0 ? pair[..eq] : pair;
            var value = eq >= 0 ? pair[(eq + 1)..] : "";
            entries.RemoveAll(e => e.Key == key);
            entries.Add(new(key, value));
        }
        // Go marshals maps with sorted keys; keep that order on the wire.
        var obj = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            obj[key] = value;
        return obj;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static JsonArray? StringsOrNull(IReadOnlyCollection<string> values) => values.Count == 0 ? null : Strings(values);
}

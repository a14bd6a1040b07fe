using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Tests.Bundle;

/// <summary>Expected values are those of the config.json the reference dockerd wrote for the same options.</summary>
public sealed class OciSpecBuilderTests : IDisposable
{
    private readonly TempRootfs _rootfs = new();
    private static HostLimits Host => BundleTestHost.Vm;

    public void Dispose() => _rootfs.Dispose();

    private ContainerRunSpec Spec() => BundleTestHost.Spec(_rootfs);

    private static RuntimeMount MountAt(RuntimeSpec spec, string destination) =>
        Assert.Single(spec.Mounts, m => m.Destination == destination);

    [Fact]
    public void Default_container_is_dockers()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            HostsPath = "/c/hosts", ResolvConfPath = "/c/resolv.conf", HostnamePath = "/c/hostname",
        }, Host);

        Assert.Equal(["sleep", "300"], spec.Process.Args);
        Assert.Equal("/", spec.Process.Cwd);
        Assert.False(spec.Process.Terminal);
        Assert.False(spec.Process.NoNewPrivileges);
        Assert.Equal(0, spec.Process.OomScoreAdj);
        Assert.Equal(
            ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=f6c80ab5abb3", "HOME=/root"],
            spec.Process.Env);
        Assert.Equal((0u, 0u), (spec.Process.User.Uid, spec.Process.User.Gid));
        Assert.Equal(Capabilities.DockerDefaults, spec.Process.Capabilities!.Bounding);
        Assert.Equal(Capabilities.DockerDefaults, spec.Process.Capabilities.Effective);
        Assert.Equal(Capabilities.DockerDefaults, spec.Process.Capabilities.Permitted);
        Assert.Null(spec.Process.Capabilities.Inheritable);
        Assert.Equal("f6c80ab5abb3", spec.Hostname);
        Assert.Equal(_rootfs.Path, spec.Root.Path);
        Assert.False(spec.Root.Readonly);

        Assert.Equal(
            ["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"],
            spec.Mounts.Select(m => m.Destination));
        Assert.Equal(["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"], MountAt(spec, "/dev/shm").Options);
        Assert.Equal(["nosuid", "noexec", "nodev", "ro"], MountAt(spec, "/sys").Options);
        Assert.Equal(["ro", "nosuid", "noexec", "nodev"], MountAt(spec, "/sys/fs/cgroup").Options);
        Assert.Equal(["rbind", "rprivate"], MountAt(spec, "/etc/hosts").Options);
        Assert.Equal("/c/hosts", MountAt(spec, "/etc/hosts").Source);

        Assert.Equal(["mount", "network", "uts", "pid", "ipc"], spec.Linux.Namespaces.Select(n => n.Type));
        Assert.All(spec.Linux.Namespaces, n => Assert.Null(n.Path));
        Assert.Equal("/berth/f6c80ab5abb3", spec.Linux.CgroupsPath);
        Assert.Equal(OciSpecBuilder.DefaultMaskedPaths, spec.Linux.MaskedPaths);
        Assert.Contains("/proc/kcore", spec.Linux.MaskedPaths!);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], spec.Linux.ReadonlyPaths);
        Assert.Equal(new Dictionary<string, string>
        {
            ["net.ipv4.ip_unprivileged_port_start"] = "0",
            ["net.ipv4.ping_group_range"] = "0 2147483647",
        }, spec.Linux.Sysctl);
        Assert.Null(spec.Linux.Devices);
        Assert.Equal(DeviceCgroupRules.DockerDefaults, spec.Linux.Resources!.Devices);
        Assert.Equal(false, spec.Linux.Resources.Memory!.DisableOOMKiller);
        Assert.Null(spec.Linux.Resources.Memory.Limit);
        Assert.Null(spec.Linux.Resources.Cpu);
        Assert.Null(spec.Linux.Resources.Pids);
        Assert.Equal("SCMP_ACT_ERRNO", spec.Linux.Seccomp!.DefaultAction);
        Assert.Null(spec.Linux.RootfsPropagation);
    }

    [Fact]
    public void Nofile_defaults_to_dockers_value_clamped_to_the_daemons_hard_limit()
    {
        var spec = OciSpecBuilder.Build(Spec(), Host);

        var nofile = Assert.Single(spec.Process.Rlimits!);
        Assert.Equal(("RLIMIT_NOFILE", 20000ul, 20000ul), (nofile.Type, nofile.Soft, nofile.Hard));
    }

    [Fact]
    public void Rlimits_are_not_clamped_when_the_daemon_may_raise_them()
    {
        var spec = OciSpecBuilder.Build(Spec(), Host with { CanRaiseRlimits = true });

        var nofile = Assert.Single(spec.Process.Rlimits!);
        Assert.Equal((OciSpecBuilder.DefaultNofile, OciSpecBuilder.DefaultNofile), (nofile.Soft, nofile.Hard));
    }

    [Fact]
    public void Ulimits_replace_by_name_and_are_clamped()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            Ulimits = [new Ulimit("nofile", 1000, 2000), new Ulimit("nproc", 500, 500), new Ulimit("NOFILE", 30000, 40000), new Ulimit("core", -1, -1)],
        }, Host);

        Assert.Equal(
            [("RLIMIT_NOFILE", 20000ul, 20000ul), ("RLIMIT_NPROC", 500ul, 500ul), ("RLIMIT_CORE", ulong.MaxValue, ulong.MaxValue)],
            spec.Process.Rlimits!.Select(l => (l.Type, l.Soft, l.Hard)));
    }

    [Fact]
    public void Bad_ulimits_are_refused()
    {
        Assert.Equal("invalid ulimit type: bogus",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { Ulimits = [new Ulimit("bogus", 1, 1)] }, Host)).Message);
        Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { Ulimits = [new Ulimit("nofile", 2, 1)] }, Host));
    }

    [Fact]
    public void Privileged_gets_everything_the_daemon_holds()
    {
        var spec = OciSpecBuilder.Build(Spec() with { Privileged = true }, Host);

        var caps = spec.Process.Capabilities!.Bounding!;
        Assert.Equal(40, caps.Count); // 41 capabilities, less CAP_SYS_RESOURCE
        Assert.DoesNotContain("CAP_SYS_RESOURCE", caps);
        Assert.Contains("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_CHECKPOINT_RESTORE", caps);
        Assert.Null(spec.Linux.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.Equal(["nosuid", "noexec", "nodev"], MountAt(spec, "/sys").Options);
        Assert.Equal(["nosuid", "noexec", "nodev"], MountAt(spec, "/sys/fs/cgroup").Options);
        Assert.Equal([DeviceCgroupRules.AllowAll], spec.Linux.Resources!.Devices);
        Assert.Contains(spec.Linux.Devices!, d => d is { Path: "/dev/null", Type: "c", Major: 1, Minor: 3 });
        Assert.DoesNotContain(spec.Linux.Devices!, d => d.Path == "/dev/console" || d.Path.StartsWith("/dev/pts/"));
    }

    [Fact]
    public void Cap_add_and_drop_tweak_the_defaults()
    {
        var spec = OciSpecBuilder.Build(Spec() with { CapAdd = ["sys_admin", "CAP_NET_ADMIN"], CapDrop = ["NET_RAW", "cap_mknod"] }, Host);

        var caps = spec.Process.Capabilities!.Effective!;
        Assert.Contains("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);
        Assert.Equal(14, caps.Count);
    }

    [Fact]
    public void Cap_drop_all_keeps_only_what_is_added()
    {
        var spec = OciSpecBuilder.Build(Spec() with { CapDrop = ["ALL"], CapAdd = ["CHOWN"] }, Host);

        Assert.Equal(["CAP_CHOWN"], spec.Process.Capabilities!.Bounding);
    }

    [Fact]
    public void Cap_add_all_gives_all_held_but_the_dropped()
    {
        var spec = OciSpecBuilder.Build(Spec() with { CapAdd = ["ALL"], CapDrop = ["SYS_ADMIN"] }, Host);

        Assert.Equal(39, spec.Process.Capabilities!.Bounding!.Count);
        Assert.DoesNotContain("CAP_SYS_ADMIN", spec.Process.Capabilities.Bounding!);
    }

    [Fact]
    public void Unknown_or_unavailable_capabilities_are_errors()
    {
        Assert.Equal("invalid CapAdd: unknown capability: \"CAP_FOO\"",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { CapAdd = ["foo"] }, Host)).Message);
        Assert.Contains("CAP_SYS_RESOURCE",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { CapAdd = ["SYS_RESOURCE"] }, Host)).Message);
    }

    [Fact]
    public void A_user_other_than_root_has_only_a_bounding_set()
    {
        var spec = OciSpecBuilder.Build(Spec() with { User = "nobody", GroupAdd = ["4444"] }, Host);

        Assert.Equal((65534u, 65534u), (spec.Process.User.Uid, spec.Process.User.Gid));
        Assert.Equal([65534u, 4444], spec.Process.User.AdditionalGids);
        Assert.Equal(Capabilities.DockerDefaults, spec.Process.Capabilities!.Bounding);
        Assert.Null(spec.Process.Capabilities.Effective);
        Assert.Null(spec.Process.Capabilities.Permitted);
        Assert.Contains("HOME=/nonexistent", spec.Process.Env!);
    }

    [Fact]
    public void Env_overrides_defaults_in_place_and_can_unset_them()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            Tty = true, Hostname = "web", Env = ["FOO=1", "PATH=/bin", "HOSTNAME", "HOME=/data", "FOO=2"],
        }, Host);

        Assert.True(spec.Process.Terminal);
        Assert.Equal(["PATH=/bin", "TERM=xterm", "FOO=2", "HOME=/data"], spec.Process.Env);
        Assert.Equal("web", spec.Hostname);
    }

    [Fact]
    public void Working_dir_is_cleaned_and_must_be_absolute()
    {
        Assert.Equal("/srv/app", OciSpecBuilder.Build(Spec() with { WorkingDir = "/srv/./x/../app/" }, Host).Process.Cwd);
        Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { WorkingDir = "srv" }, Host));
    }

    [Fact]
    public void No_command_is_dockers_error()
    {
        Assert.Equal("No command specified",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { Args = [] }, Host)).Message);
    }

    [Fact]
    public void Init_runs_first_from_a_read_only_bind()
    {
        var spec = OciSpecBuilder.Build(Spec() with { InitPath = "/usr/libexec/berth-init" }, Host);

        Assert.Equal(["/sbin/docker-init", "--", "sleep", "300"], spec.Process.Args);
        var init = MountAt(spec, "/sbin/docker-init");
        Assert.Equal(("bind", "/usr/libexec/berth-init"), (init.Type, init.Source));
        Assert.Equal(["bind", "ro"], init.Options);
    }

    [Fact]
    public void Readonly_rootfs_with_tmpfs_mounts()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            ReadonlyRootfs = true,
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,size=64m", ["/run"] = "" },
            HostsPath = "/c/hosts",
        }, Host);

        Assert.True(spec.Root.Readonly);
        Assert.Equal(["nosuid", "nodev", "rprivate", "rw", "noexec", "size=64m"], MountAt(spec, "/tmp").Options);
        Assert.Equal(["noexec", "nosuid", "nodev", "rprivate"], MountAt(spec, "/run").Options);
        Assert.Equal(("tmpfs", "tmpfs"), (MountAt(spec, "/tmp").Type, MountAt(spec, "/tmp").Source));
        Assert.Equal(["rbind", "ro", "rprivate"], MountAt(spec, "/etc/hosts").Options);
        Assert.DoesNotContain("ro", MountAt(spec, "/dev/shm").Options!);
        Assert.Equal(["/run", "/tmp", "/etc/hosts"], spec.Mounts.Skip(7).Select(m => m.Destination));
    }

    [Fact]
    public void Binds_and_mounts_as_docker_writes_them()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            Mounts =
            [
                new MountSpec { Source = "/srv/data", Destination = "/data/deep/er", ReadOnly = true },
                new MountSpec { Source = "/srv/data", Destination = "/data2/" },
                new MountSpec { Source = "/var/lib/berth/volumes/v/_data", Destination = "/vol", Propagation = "" },
                new MountSpec { Type = "tmpfs", Destination = "/mt", TmpfsOptions = TmpfsOptions.FromMountOptions(1000000, 0x1C0, false) },
                new MountSpec { Source = "/srv/one", Destination = "/one", NonRecursive = true },
            ],
        }, Host);

        Assert.Equal(["/data2", "/vol", "/mt", "/one", "/data/deep/er"], spec.Mounts.Skip(7).Select(m => m.Destination));
        Assert.Equal(["rbind", "ro", "rprivate"], MountAt(spec, "/data/deep/er").Options);
        Assert.Equal(["rbind", "rprivate"], MountAt(spec, "/data2").Options);
        Assert.Equal(["rbind"], MountAt(spec, "/vol").Options);
        Assert.Equal(["noexec", "nosuid", "nodev", "rprivate", "mode=700", "size=1000000"], MountAt(spec, "/mt").Options);
        Assert.Equal(["bind", "rprivate"], MountAt(spec, "/one").Options);
    }

    [Fact]
    public void User_mounts_replace_default_and_daemon_mounts()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            HostsPath = "/c/hosts",
            Mounts = [new MountSpec { Source = "/my/hosts", Destination = "/etc/hosts" }, new MountSpec { Type = "tmpfs", Destination = "/dev/shm" }],
        }, Host);

        Assert.Equal("/my/hosts", MountAt(spec, "/etc/hosts").Source);
        Assert.Equal("tmpfs", MountAt(spec, "/dev/shm").Source);

        var devSpec = OciSpecBuilder.Build(Spec() with { Mounts = [new MountSpec { Source = "/dev", Destination = "/dev" }] }, Host);
        Assert.DoesNotContain(devSpec.Mounts, m => m.Destination.StartsWith("/dev/"));
    }

    [Fact]
    public void Mount_errors()
    {
        Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { Mounts = [new MountSpec { Source = "/a", Destination = "rel" }] }, Host));
        Assert.Equal("Duplicate mount point: /x", Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with
        {
            Mounts = [new MountSpec { Source = "/a", Destination = "/x" }], Tmpfs = new Dictionary<string, string> { ["/x/"] = "" },
        }, Host)).Message);
        Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { Tmpfs = new Dictionary<string, string> { ["/x"] = "bogus" } }, Host));
    }

    [Fact]
    public void Shared_propagation_needs_a_shared_source_mount()
    {
        string mountInfo = Path.Combine(_rootfs.Path, "mountinfo");
        File.WriteAllText(mountInfo, """
            22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            30 22 0:25 / /srv rw,relatime - tmpfs tmpfs rw
            """);

        MountPropagation.EnsureShared("/home/user", mountInfo);
        MountPropagation.EnsureSharedOrSlave("/", mountInfo);
        Assert.Equal("path /srv/data is mounted on /srv but it is not a shared mount",
            Assert.Throws<BerthException>(() => MountPropagation.EnsureShared("/srv/data", mountInfo)).Message);
    }

    [Fact]
    public void Memory_and_cpus_become_cgroup_limits()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            Memory = 64L << 20, MemorySwap = 128L << 20, MemoryReservation = 32L << 20, NanoCpus = 1_500_000_000,
            CpuShares = 512, CpusetCpus = "0", OomKillDisable = true,
        }, Host);

        var resources = spec.Linux.Resources!;
        Assert.Equal((67108864L, 134217728L, 33554432L), (resources.Memory!.Limit, resources.Memory.Swap, resources.Memory.Reservation));
        Assert.Equal(true, resources.Memory.DisableOOMKiller);
        Assert.Equal((512ul, 100000ul, 150000L, "0"), (resources.Cpu!.Shares, resources.Cpu.Period, resources.Cpu.Quota, resources.Cpu.Cpus));
    }

    [Fact]
    public void Swap_defaults_to_twice_the_memory_where_it_can_be_limited()
    {
        Assert.Equal(128L << 20, OciSpecBuilder.Build(Spec() with { Memory = 64L << 20 }, Host).Linux.Resources!.Memory!.Swap);
        Assert.Equal(-1, OciSpecBuilder.Build(Spec() with { Memory = 64L << 20, MemorySwap = -1 }, Host).Linux.Resources!.Memory!.Swap);
        Assert.Null(OciSpecBuilder.Build(Spec() with { Memory = 64L << 20 }, Host with { SwapLimitSupported = false }).Linux.Resources!.Memory!.Swap);
    }

    [Theory]
    [InlineData(1L << 20, 0L, 0L, 0L, "Minimum memory limit allowed is 6MB")]
    [InlineData(0L, 64L << 20, 0L, 0L, "You should always set the Memory limit when using Memoryswap limit, see usage")]
    [InlineData(64L << 20, 32L << 20, 0L, 0L, "Minimum memoryswap limit should be larger than memory limit, see usage")]
    [InlineData(0L, 0L, 1_000_000_000L, 50000L, "Conflicting options: Nano CPUs and CPU Period cannot both be set")]
    public void Resource_conflicts_are_dockers_errors(long memory, long swap, long nanoCpus, long period, string message)
    {
        var error = Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with
        {
            Memory = memory, MemorySwap = swap, NanoCpus = nanoCpus, CpuPeriod = period,
        }, Host));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Explicit_cpu_quota_and_period_pass_through()
    {
        var cpu = OciSpecBuilder.Build(Spec() with { CpuQuota = 50000, CpuPeriod = 200000, CpusetMems = "0" }, Host).Linux.Resources!.Cpu!;

        Assert.Equal((200000ul, 50000L, "0"), (cpu.Period, cpu.Quota, cpu.Mems));
    }

    [Theory]
    [InlineData(10L, 10L)]
    [InlineData(0L, null)]
    [InlineData(-1L, null)]
    [InlineData(null, null)]
    public void Pids_limit(long? given, long? expected)
    {
        var spec = OciSpecBuilder.Build(Spec() with { PidsLimit = given }, Host);

        Assert.Equal(expected, spec.Linux.Resources!.Pids?.Limit);
    }

    [Fact]
    public void Host_namespaces_are_left_out_and_drop_the_network_sysctls()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            Network = NamespaceMode.Host, Pid = NamespaceMode.Host, Ipc = NamespaceMode.Host, Uts = NamespaceMode.Host, Hostname = "vm",
        }, Host);

        Assert.Equal(["mount"], spec.Linux.Namespaces.Select(n => n.Type));
        Assert.Null(spec.Hostname);
        Assert.Null(spec.Linux.Sysctl);
        Assert.Contains("HOSTNAME=vm", spec.Process.Env!);
        var shm = MountAt(spec, "/dev/shm");
        Assert.Equal(("bind", "/dev/shm"), (shm.Type, shm.Source));
        Assert.Equal(["rbind", "rprivate"], shm.Options);
    }

    [Fact]
    public void Net_sysctls_are_refused_with_host_networking()
    {
        var error = Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with
        {
            Network = NamespaceMode.Host, Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1" },
        }, Host));

        Assert.Equal("--sysctl net.ipv4.ip_forward is not allowed in host network mode", error.Message);
    }

    [Fact]
    public void Joined_namespaces_carry_their_paths_and_share_dev_shm()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            Network = NamespaceMode.Join("/proc/7522/ns/net"), Pid = NamespaceMode.Join("/proc/7522/ns/pid"),
            Ipc = NamespaceMode.Join("/proc/9584/ns/ipc"),
        }, Host);

        Assert.Contains(spec.Linux.Namespaces, n => n is { Type: "network", Path: "/proc/7522/ns/net" });
        Assert.Contains(spec.Linux.Namespaces, n => n is { Type: "pid", Path: "/proc/7522/ns/pid" });
        Assert.Contains(spec.Linux.Namespaces, n => n is { Type: "ipc", Path: "/proc/9584/ns/ipc" });
        Assert.Contains(spec.Linux.Namespaces, n => n is { Type: "uts", Path: null });
        Assert.Equal("/proc/9584/root/dev/shm", MountAt(spec, "/dev/shm").Source);
        Assert.Null(spec.Linux.Sysctl);
    }

    [Fact]
    public void Ipc_none_has_no_dev_shm_and_network_none_keeps_a_namespace()
    {
        var spec = OciSpecBuilder.Build(Spec() with { Ipc = NamespaceMode.None, Network = NamespaceMode.None }, Host);

        Assert.DoesNotContain(spec.Mounts, m => m.Destination == "/dev/shm");
        Assert.Contains(spec.Linux.Namespaces, n => n.Type == "network");
        Assert.NotNull(spec.Linux.Sysctl);
    }

    [Fact]
    public void Cgroup_namespace_is_private_by_default_on_cgroup_v2()
    {
        Assert.Contains(OciSpecBuilder.Build(Spec(), Host with { CgroupV2 = true }).Linux.Namespaces, n => n.Type == "cgroup");
        Assert.DoesNotContain(OciSpecBuilder.Build(Spec(), Host).Linux.Namespaces, n => n.Type == "cgroup");
    }

    [Fact]
    public void Shm_size_sysctls_domainname_and_oom_score()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            ShmSize = 128L << 20, Sysctls = new Dictionary<string, string> { ["net.ipv4.tcp_syncookies"] = "0", ["net.ipv4.ping_group_range"] = "1 1" },
            Domainname = "example.com", OomScoreAdj = 100,
        }, Host);

        Assert.Equal("size=134217728", MountAt(spec, "/dev/shm").Options![^1]);
        Assert.Equal("0", spec.Linux.Sysctl!["net.ipv4.tcp_syncookies"]);
        Assert.Equal("1 1", spec.Linux.Sysctl["net.ipv4.ping_group_range"]);
        Assert.Equal("example.com", spec.Linux.Sysctl["kernel.domainname"]);
        Assert.Equal(100, spec.Process.OomScoreAdj);
    }

    [Fact]
    public void Security_options()
    {
        var spec = OciSpecBuilder.Build(Spec() with { SecurityOpt = ["no-new-privileges", "seccomp=unconfined", "apparmor=unconfined", "label=disable"] }, Host);
        Assert.True(spec.Process.NoNewPrivileges);
        Assert.Null(spec.Linux.Seccomp);

        Assert.False(OciSpecBuilder.Build(Spec() with { SecurityOpt = ["no-new-privileges:false"] }, Host).Process.NoNewPrivileges);
        Assert.Null(OciSpecBuilder.Build(Spec() with { SecurityOpt = ["systempaths=unconfined"] }, Host).Linux.MaskedPaths);
        Assert.Equal("invalid --security-opt 2: \"no-new-privileges=maybe\"",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { SecurityOpt = ["no-new-privileges=maybe"] }, Host)).Message);
        Assert.Equal("invalid --security-opt 1: \"bogus\"",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { SecurityOpt = ["bogus"] }, Host)).Message);
    }

    [Fact]
    public void A_custom_seccomp_profile_is_used_as_given()
    {
        const string profile = """{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}""";
        string path = Path.Combine(_rootfs.Path, "profile.json");
        File.WriteAllText(path, profile);

        foreach (string option in new[] { "seccomp=" + profile, "seccomp=" + path })
        {
            var seccomp = OciSpecBuilder.Build(Spec() with { SecurityOpt = [option] }, Host).Linux.Seccomp!;
            Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
            Assert.Equal(["mkdir"], Assert.Single(seccomp.Syscalls!).Names);
        }
        Assert.StartsWith("Decoding seccomp profile failed",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { SecurityOpt = ["seccomp={nope"] }, Host)).Message);
    }

    [Fact]
    public void Devices_and_device_cgroup_rules()
    {
        var spec = OciSpecBuilder.Build(Spec() with
        {
            Devices = [new DeviceMapping("/dev/null", "/dev/mynull", "rw")],
            DeviceCgroupRules = ["c 13:* rwm", "a *:* r"],
        }, Host);

        var device = Assert.Single(spec.Linux.Devices!);
        Assert.Equal(("/dev/mynull", "c", 1L, 3L, 0x1B6u), (device.Path, device.Type, device.Major, device.Minor, device.FileMode!.Value));
        var rules = spec.Linux.Resources!.Devices!;
        Assert.Equal(DeviceCgroupRules.DockerDefaults, rules.Take(8));
        Assert.Equal(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" }, rules[8]);
        Assert.Equal(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 13, Minor = null, Access = "rwm" }, rules[9]);
        Assert.Equal(new LinuxDeviceCgroup { Allow = true, Type = "a", Access = "r" }, rules[10]);
    }

    [Fact]
    public void Device_errors_are_dockers()
    {
        Assert.Equal("error gathering device information while adding custom device \"/dev/nope\": no such file or directory",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { Devices = [new DeviceMapping("/dev/nope")] }, Host)).Message);
        Assert.Equal($"error gathering device information while adding custom device \"{_rootfs.Path}/etc/passwd\": not a device node",
            Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { Devices = [new DeviceMapping(_rootfs.Path + "/etc/passwd")] }, Host)).Message);
        Assert.Throws<BerthException>(() => OciSpecBuilder.Build(Spec() with { DeviceCgroupRules = ["x 1:2 rwm"] }, Host));
    }

    [Fact]
    public void Masked_and_readonly_paths_can_be_given()
    {
        var spec = OciSpecBuilder.Build(Spec() with { MaskedPaths = ["/proc/x"], ReadonlyPaths = [] }, Host);

        Assert.Equal(["/proc/x"], spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
    }

    [Fact]
    public void Annotations_pass_through()
    {
        var spec = OciSpecBuilder.Build(Spec() with { Annotations = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "x" } }, Host);

        Assert.Equal("x", spec.Annotations!["org.opencontainers.image.title"]);
    }
}

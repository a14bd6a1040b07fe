using Berth.Engine.Runtime.Bundle;

namespace Berth.IntegrationTests.Bundle;

/// <summary>Runs busybox containers under the real runc with Berth's spec and checks, from inside, what Docker's show.</summary>
public sealed class RuncIsolationTests(BusyboxRootfs rootfs) : IClassFixture<BusyboxRootfs>
{
    private const string DockerDefaultCapabilities = "00000000a80425fb";

    private ContainerRunSpec Spec(string script) => RuncRunner.Spec(rootfs, script);

    private static async Task<string> OutputOf(ContainerRunSpec spec)
    {
        var result = await RuncRunner.RunAsync(spec);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout.Trim();
    }

    private static string StatusField(string status, string field) =>
        status.Split('\n').Single(l => l.StartsWith(field + ":")).Split(':', 2)[1].Trim();

    [RootFact]
    public async Task Default_container_has_dockers_capabilities_seccomp_and_pid_1()
    {
        string status = await OutputOf(Spec("cat /proc/self/status; echo pid=$$"));

        Assert.Equal(DockerDefaultCapabilities, StatusField(status, "CapEff"));
        Assert.Equal(DockerDefaultCapabilities, StatusField(status, "CapBnd"));
        Assert.Equal("2", StatusField(status, "Seccomp"));
        Assert.Equal("0", StatusField(status, "NoNewPrivs"));
        Assert.Contains("pid=1", status);
    }

    [RootFact]
    public async Task Cap_drop_net_raw_changes_the_mask()
    {
        string status = await OutputOf(Spec("cat /proc/self/status") with { CapDrop = ["NET_RAW"] });

        Assert.Equal("00000000a80405fb", StatusField(status, "CapEff"));
    }

    [RootFact]
    public async Task Privileged_runs_with_every_capability_the_daemon_holds_and_no_seccomp()
    {
        string status = await OutputOf(Spec("cat /proc/self/status") with { Privileged = true });

        var host = HostLimits.Read();
        ulong expected = host.CapabilityBoundingSet & ((1UL << (Math.Min(host.LastCapability, Capabilities.LastKnown) + 1)) - 1);
        Assert.Equal(expected.ToString("x16"), StatusField(status, "CapEff"));
        Assert.Equal("0", StatusField(status, "Seccomp"));
    }

    [RootFact]
    public async Task Hostname_and_environment()
    {
        string output = await OutputOf(Spec("hostname; echo $HOSTNAME; echo $HOME; echo $PATH; echo $FOO") with
        {
            Hostname = "berthbox", Env = ["FOO=bar"],
        });

        Assert.Equal(["berthbox", "berthbox", "/root", OciSpecBuilder.DefaultPath, "bar"], output.Split('\n'));
    }

    [RootFact]
    public async Task User_nobody_and_numeric_user()
    {
        string nobody = await OutputOf(Spec("id; echo $HOME; grep CapEff /proc/self/status") with { User = "nobody" });
        string numeric = await OutputOf(Spec("id") with { User = "1000:1000", GroupAdd = ["65534"] });

        Assert.Equal(["uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", "/nonexistent", "CapEff:\t0000000000000000"],
            nobody.Split('\n'));
        Assert.Equal("uid=1000(user) gid=1000(user) groups=1000(user),65534(nogroup)", numeric);
    }

    [RootFact]
    public async Task Proc_paths_are_masked_and_read_only()
    {
        // /proc/kcore does not exist on every kernel (not on this VM's); /proc/timer_list does and has content.
        string output = await OutputOf(Spec(
            "wc -c < /proc/timer_list; grep -c . /proc/keys; if [ -e /proc/kcore ]; then wc -c < /proc/kcore; else echo 0; fi; " +
            "ls /sys/firmware | wc -l; " +
            "echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo wrote || echo refused"));

        Assert.Equal(["0", "0", "0", "0", "refused"], output.Split('\n'));
        Assert.True(File.ReadAllText("/proc/timer_list").Length > 0, "the host's /proc/timer_list has content, so 0 bytes means masked");
    }

    [RootFact]
    public async Task Readonly_rootfs_refuses_writes_but_tmpfs_accepts_them()
    {
        string output = await OutputOf(Spec(
            "touch /x 2>/dev/null && echo root-writable || echo root-refused; touch /tmp/y && echo tmp-writable; grep ' /tmp ' /proc/mounts") with
        {
            ReadonlyRootfs = true, Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,size=64m" },
        });

        string[] lines = output.Split('\n');
        Assert.Equal(["root-refused", "tmp-writable"], lines[..2]);
        Assert.Contains("noexec", lines[2]);
        Assert.False(File.Exists(Path.Combine(rootfs.Path, "x")));
    }

    [RootFact]
    public async Task Memory_limit_is_visible_in_the_cgroup()
    {
        string output = await OutputOf(Spec(
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max") with { Memory = 64L << 20 });

        Assert.Equal("67108864", output);
    }

    [RootFact]
    public async Task Cpu_quota_from_nano_cpus()
    {
        string output = await OutputOf(Spec(
            "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max") with
        {
            NanoCpus = 500_000_000,
        });

        Assert.Contains(output.Replace('\n', ' '), new[] { "50000 100000" });
    }

    [RootFact]
    public async Task Pids_limit_bounds_a_fork_loop()
    {
        // The inner shell dies when fork fails; the outer one then uses only builtins, since its sleeping
        // children still hold the pids. When it exits, the kernel ends the rest of the pid namespace.
        string output = await OutputOf(Spec(
            "sh -c 'for i in $(seq 1 20); do sleep 5 & done' 2>/dev/null; echo status=$?; " +
            "read n < /sys/fs/cgroup/pids/pids.current 2>/dev/null || read n < /sys/fs/cgroup/pids.current; echo $n") with
        {
            PidsLimit = 10,
        });

        string[] lines = output.Split('\n');
        Assert.NotEqual("status=0", lines[0]);
        Assert.InRange(int.Parse(lines[1]), 2, 10);
    }

    [RootFact]
    public async Task Mount_and_unshare_are_refused_without_sys_admin()
    {
        string output = await OutputOf(Spec(
            "mkdir -p /tmp/m; mount -t tmpfs none /tmp/m 2>/dev/null && echo mounted || echo mount-refused; " +
            "unshare -m true 2>/dev/null && echo unshared || echo unshare-refused"));

        Assert.Equal(["mount-refused", "unshare-refused"], output.Split('\n'));
    }

    [RootFact]
    public async Task Sys_admin_allows_mount()
    {
        string output = await OutputOf(Spec("mkdir -p /tmp/m2; mount -t tmpfs none /tmp/m2 && echo mounted; umount /tmp/m2") with
        {
            CapAdd = ["SYS_ADMIN"],
        });

        Assert.Equal("mounted", output);
    }

    [RootFact]
    public async Task No_new_privileges_and_nofile_clamped_to_the_daemons_limit()
    {
        string output = await OutputOf(Spec("grep NoNewPrivs /proc/self/status; ulimit -n; ulimit -Hn") with
        {
            SecurityOpt = ["no-new-privileges"],
        });

        ulong hard = Math.Min(OciSpecBuilder.DefaultNofile, HostLimits.Read().HardLimitOf("RLIMIT_NOFILE"));
        Assert.Equal(["NoNewPrivs:\t1", hard.ToString(), hard.ToString()], output.Split('\n'));
    }

    [RootFact]
    public async Task Default_mounts_and_dev_shm_size()
    {
        string output = await OutputOf(Spec("grep -E ' /(dev/shm|sys|dev/mqueue|dev/pts) ' /proc/mounts; ls /dev") with { ShmSize = 32L << 20 });

        Assert.Contains("shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=32768k", output);
        Assert.Contains("sysfs /sys sysfs ro,", output);
        Assert.Contains("mqueue /dev/mqueue mqueue", output);
        Assert.Contains("devpts /dev/pts devpts", output);
        foreach (string node in new[] { "null", "zero", "full", "random", "urandom", "tty", "ptmx" })
            Assert.Contains(node, output.Split('\n'));
    }

    [RootFact]
    public async Task Binds_are_mounted_read_only_when_asked()
    {
        string source = Directory.CreateTempSubdirectory("berth-bind-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(source, "hello"), "from the host\n");
            string output = await OutputOf(Spec("cat /data/hello; touch /data/x 2>/dev/null && echo writable || echo read-only; touch /rw/y && echo rw-ok") with
            {
                Mounts =
                [
                    new MountSpec { Source = source, Destination = "/data", ReadOnly = true },
                    new MountSpec { Source = source, Destination = "/rw" },
                ],
            });

            Assert.Equal(["from the host", "read-only", "rw-ok"], output.Split('\n'));
            Assert.True(File.Exists(Path.Combine(source, "y")));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    [RootFact]
    public async Task Private_network_namespace_has_only_loopback()
    {
        string output = await OutputOf(Spec("ls /sys/class/net; cat /proc/sys/net/ipv4/ip_unprivileged_port_start"));

        Assert.Equal(["lo", "0"], output.Split('\n'));
    }

    [RootFact]
    public async Task Working_dir_is_the_cwd()
    {
        string output = await OutputOf(Spec("pwd") with { WorkingDir = "/home/user" });

        Assert.Equal("/home/user", output);
    }

    [RootFact]
    public async Task A_missing_working_dir_is_created()
    {
        string output = await OutputOf(Spec("pwd") with { WorkingDir = "/srv/new/app", ReadonlyRootfs = false });

        Assert.Equal("/srv/new/app", output);
    }

    [RootFact]
    public async Task Devices_are_created_and_their_cgroup_rule_applies()
    {
        // A loop device, because Docker's default rules already allow the memory devices (null, zero...) in full.
        if (!File.Exists("/dev/loop0")) return;
        const string script = "[ -b /dev/myloop ] && echo block; dd if=/dev/myloop of=/dev/null count=0 2>/dev/null && echo read-open; " +
                              "(echo x > /dev/myloop) 2>&1 | grep -o 'Operation not permitted' || echo write-open";

        string readOnly = await OutputOf(Spec(script) with { Devices = [new DeviceMapping("/dev/loop0", "/dev/myloop", "r")] });
        string readWrite = await OutputOf(Spec(script) with { Devices = [new DeviceMapping("/dev/loop0", "/dev/myloop", "rw")] });

        Assert.Equal(["block", "read-open", "Operation not permitted"], readOnly.Split('\n'));
        Assert.Equal(["block", "read-open", "write-open"], readWrite.Split('\n'));
    }

    [RootFact]
    public async Task Host_network_and_uts_are_the_hosts()
    {
        // Other tests add and remove interfaces meanwhile: the container must see those that were there throughout.
        var before = HostInterfaces();
        string output = await OutputOf(Spec("hostname; ls /sys/class/net") with
        {
            Network = NamespaceMode.Host, Uts = NamespaceMode.Host,
        });
        var throughout = before.Intersect(HostInterfaces()).ToList();

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), lines[0]);
        Assert.Contains(throughout, name => name != "lo");
        Assert.Empty(throughout.Except(lines.Skip(1)));
    }

    private static HashSet<string> HostInterfaces() => Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).OfType<string>().ToHashSet();
}

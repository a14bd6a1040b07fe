using Berth.Engine.Runtime.Bundle;

namespace Berth.Tests.Bundle;

/// <summary>A fixed host like the development VM: hard nofile 20000, every capability but CAP_SYS_RESOURCE, cgroup v1.</summary>
internal static class BundleTestHost
{
    public static HostLimits Vm { get; } = new()
    {
        HardRlimits = new Dictionary<string, ulong> { ["RLIMIT_NOFILE"] = 20000, ["RLIMIT_NPROC"] = 96364, ["RLIMIT_CORE"] = ulong.MaxValue },
        CanRaiseRlimits = false,
        CapabilityBoundingSet = 0x1fffeffffff,
        LastCapability = 40,
        KernelVersion = new Version(6, 18, 44),
        Architecture = "amd64",
        CgroupV2 = false,
        SwapLimitSupported = true,
    };

    public static ContainerRunSpec Spec(TempRootfs rootfs, params string[] args) => new()
    {
        Id = "f6c80ab5abb3a688cc9530085105f0e6fa522ef6f10bc0007dbaa9d84fcab761",
        RootfsPath = rootfs.Path,
        Args = args.Length > 0 ? args : ["sleep", "300"],
        CgroupsPath = "/berth/f6c80ab5abb3",
    };
}

/// <summary>A directory standing in for a container's rootfs, with the /etc/passwd and /etc/group given.</summary>
internal sealed class TempRootfs : IDisposable
{
    public const string DefaultPasswd = """
        root:x:0:0:root:/root:/bin/sh
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        alice:x:1001:1001:Alice:/home/alice:/bin/sh
        bob:x:1002:100::/home/bob:/bin/sh
        """;

    public const string DefaultGroup = """
        root:x:0:
        wheel:x:10:alice,root
        users:x:100:alice
        alice:x:1001:
        nogroup:x:65534:
        staff:x:50:bob
        """;

    public string Path { get; } = Directory.CreateTempSubdirectory("berth-rootfs-").FullName;

    public TempRootfs(string? passwd = DefaultPasswd, string? group = DefaultGroup)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "etc"));
        if (passwd is not null) File.WriteAllText(System.IO.Path.Combine(Path, "etc/passwd"), passwd + "\n");
        if (group is not null) File.WriteAllText(System.IO.Path.Combine(Path, "etc/group"), group + "\n");
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

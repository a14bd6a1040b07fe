using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Tests.Bundle;

public sealed class SeccompConverterTests
{
    private static HostLimits Host => BundleTestHost.Vm;

    private static LinuxSeccomp Convert(IReadOnlyCollection<string> caps, HostLimits? host = null) =>
        SeccompConverter.Convert(SeccompProfile.Default, caps, host ?? Host)!;

    private static HashSet<string> Allowed(LinuxSeccomp seccomp) =>
        seccomp.Syscalls!.Where(s => s.Action == "SCMP_ACT_ALLOW" && s.Args is null).SelectMany(s => s.Names).ToHashSet();

    [Fact]
    public void Default_profile_keeps_its_default_action_and_maps_the_architecture()
    {
        var seccomp = Convert(Capabilities.DockerDefaults);

        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], seccomp.Architectures);
        Assert.Contains("read", Allowed(seccomp));
    }

    [Fact]
    public void Mount_and_unshare_need_cap_sys_admin()
    {
        var plain = Allowed(Convert(Capabilities.DockerDefaults));
        var admin = Allowed(Convert([.. Capabilities.DockerDefaults, "CAP_SYS_ADMIN"]));

        foreach (string call in new[] { "mount", "umount2", "unshare", "setns", "fsmount" })
        {
            Assert.DoesNotContain(call, plain);
            Assert.Contains(call, admin);
        }
    }

    [Fact]
    public void Clone_is_restricted_to_no_namespace_flags_unless_sys_admin()
    {
        var plain = Convert(Capabilities.DockerDefaults).Syscalls!;
        var clone = Assert.Single(plain, s => s.Names.SequenceEqual(["clone"]));
        var arg = Assert.Single(clone.Args!);
        Assert.Equal((0u, 2114060288ul, "SCMP_CMP_MASKED_EQ"), (arg.Index, arg.Value, arg.Op));
        var clone3 = Assert.Single(plain, s => s.Names.SequenceEqual(["clone3"]));
        Assert.Equal(("SCMP_ACT_ERRNO", 38u), (clone3.Action, clone3.ErrnoRet!.Value));

        var admin = Convert(["CAP_SYS_ADMIN"]).Syscalls!;
        Assert.DoesNotContain(admin, s => s.Names.SequenceEqual(["clone"]) && s.Args is not null);
        Assert.DoesNotContain(admin, s => s.Names.SequenceEqual(["clone3"]));
    }

    [Fact]
    public void Personality_keeps_its_argument_filters()
    {
        var personality = Convert(Capabilities.DockerDefaults).Syscalls!.Where(s => s.Names.SequenceEqual(["personality"])).ToList();

        Assert.Equal([0ul, 8, 131072, 131080, 4294967295], personality.Select(s => Assert.Single(s.Args!).Value));
        Assert.All(personality, s => Assert.Equal("SCMP_CMP_EQ", s.Args![0].Op));
    }

    [Fact]
    public void Rules_for_other_architectures_are_left_out()
    {
        var amd64 = Allowed(Convert(Capabilities.DockerDefaults));
        Assert.Contains("arch_prctl", amd64);
        Assert.Contains("modify_ldt", amd64);
        Assert.DoesNotContain("riscv_flush_icache", amd64);
        Assert.DoesNotContain("s390_runtime_instr", amd64);

        var arm64Seccomp = Convert(Capabilities.DockerDefaults, Host with { Architecture = "arm64" });
        var arm64 = Allowed(arm64Seccomp);
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], arm64Seccomp.Architectures);
        Assert.DoesNotContain("arch_prctl", arm64);
        Assert.Contains("arm_fadvise64_64", arm64);

        var s390x = Convert(Capabilities.DockerDefaults, Host with { Architecture = "s390x" }).Syscalls!;
        var clone = Assert.Single(s390x, s => s.Names.SequenceEqual(["clone"]));
        Assert.Equal(1u, clone.Args![0].Index); // s390 passes clone's flags second
    }

    [Fact]
    public void Min_kernel_rules_depend_on_the_running_kernel()
    {
        Assert.Contains("ptrace", Allowed(Convert(Capabilities.DockerDefaults)));
        Assert.DoesNotContain("ptrace", Allowed(Convert(Capabilities.DockerDefaults, Host with { KernelVersion = new Version(4, 4) })));
        Assert.Contains("ptrace", Allowed(Convert(["CAP_SYS_PTRACE"], Host with { KernelVersion = new Version(4, 4) })));
    }

    [Fact]
    public void Profile_shape_errors_are_dockers()
    {
        var both = SeccompProfile.Parse("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"archMap":[{"architecture":"SCMP_ARCH_X86_64"}]}""");
        Assert.Throws<BerthException>(() => SeccompConverter.Convert(both, [], Host));

        var name = SeccompProfile.Parse("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"mkdir","names":["rmdir"],"action":"SCMP_ACT_ERRNO"}]}""");
        Assert.Throws<BerthException>(() => SeccompConverter.Convert(name, [], Host));

        var single = SeccompProfile.Parse("""{"DefaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"mkdir","action":"SCMP_ACT_ERRNO"}]}""");
        Assert.Equal(["mkdir"], Assert.Single(SeccompConverter.Convert(single, [], Host)!.Syscalls!).Names);

        Assert.Null(SeccompConverter.Convert(SeccompProfile.Parse("{}"), [], Host));
    }
}

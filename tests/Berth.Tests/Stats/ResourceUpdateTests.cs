using Berth.Api;
using Berth.Engine.Containers;
using Berth.Oci.Errors;

namespace Berth.Tests.Stats;

public sealed class ResourceUpdateTests
{
    private const string Id = "0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef";
    private static readonly UpdateHostInfo Host = new(2, "0-1", "0", BlkioWeightSupported: false, SwapLimitSupported: true);

    private static BerthException Refused(Action action) => Assert.Throws<BerthException>(action);

    [Theory]
    [InlineData(3 * 1024 * 1024, 0, "Minimum memory limit allowed is 6MB")]
    [InlineData(100 * 1024 * 1024, 50 * 1024 * 1024, "Minimum memoryswap limit should be larger than memory limit, see usage")]
    public void Memory_checks_are_dockers(long memory, long swap, string message)
    {
        var e = Refused(() => ResourceUpdate.Validate(new ContainerUpdateRequest { Memory = memory, MemorySwap = swap }, Host));
        Assert.Equal(ErrorKind.Invalid, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Cpu_and_cpuset_checks_name_the_hosts_cpus()
    {
        Assert.Equal("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
            Refused(() => ResourceUpdate.Validate(new ContainerUpdateRequest { NanoCpus = 5_000_000_000 }, Host)).Message);
        Assert.Equal("Requested CPUs are not available - requested 7, available: 0-1",
            Refused(() => ResourceUpdate.Validate(new ContainerUpdateRequest { CpusetCpus = "7" }, Host)).Message);
        Assert.Equal("Invalid value 1-x for cpuset cpus",
            Refused(() => ResourceUpdate.Validate(new ContainerUpdateRequest { CpusetCpus = "1-x" }, Host)).Message);
    }

    [Fact]
    public void An_unsupported_blkio_weight_is_dropped_with_dockers_warning()
    {
        var request = new ContainerUpdateRequest { BlkioWeight = 5 };
        var warnings = ResourceUpdate.Validate(request, Host);
        Assert.Equal(["Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."], warnings);
        Assert.Equal(0, request.BlkioWeight);
        Assert.Empty(ResourceUpdate.RuncOptions(request));
    }

    [Fact]
    public void Memory_above_the_implicit_swap_limit_needs_a_swap_limit_too()
    {
        var unlimited = new HostConfig();
        var e = Refused(() => ResourceUpdate.Merge(Id, unlimited, new ContainerUpdateRequest { Memory = 100 << 20 }, swapLimitSupported: true));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"Cannot update container {Id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", e.Message);

        // -m 64m at create runs with a 128m swap limit; 100m fits under it, and the implicit limit is kept.
        var limited = new HostConfig { Memory = 64 << 20 };
        ResourceUpdate.Merge(Id, limited, new ContainerUpdateRequest { Memory = 100 << 20 }, swapLimitSupported: true);
        Assert.Equal((100L << 20, 128L << 20), (limited.Memory, limited.MemorySwap));
    }

    [Fact]
    public void Nano_cpus_and_a_cfs_period_conflict_across_updates()
    {
        var host = new HostConfig { NanoCpus = 500_000_000 };
        Assert.Equal($"Cannot update container {Id}: Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set",
            Refused(() => ResourceUpdate.Merge(Id, host, new ContainerUpdateRequest { CpuPeriod = 50000 }, true)).Message);
    }

    [Fact]
    public void A_restart_policy_other_than_no_is_refused_for_an_auto_remove_container()
    {
        var host = new HostConfig { AutoRemove = true };
        var e = Refused(() => ResourceUpdate.Merge(Id, host, new ContainerUpdateRequest { RestartPolicy = new RestartPolicy { Name = "always" } }, true));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"Cannot update container {Id}: Restart policy cannot be updated because AutoRemove is enabled for the container", e.Message);
    }

    [Fact]
    public void Only_the_fields_the_request_sets_are_merged_and_passed_to_runc()
    {
        var host = new HostConfig { Memory = 64 << 20, MemorySwap = 128 << 20, CpuShares = 512, PidsLimit = 10, RestartPolicy = new RestartPolicy { Name = "no" } };
        var request = new ContainerUpdateRequest
        {
            MemorySwap = 256 << 20, NanoCpus = 500_000_000, PidsLimit = 0, CpusetCpus = "0",
            RestartPolicy = new RestartPolicy { Name = "on-failure", MaximumRetryCount = 3 },
        };
        ResourceUpdate.Merge(Id, host, request, true);
        Assert.Equal(64L << 20, host.Memory);
        Assert.Equal(256L << 20, host.MemorySwap);
        Assert.Equal(512, host.CpuShares);
        Assert.Equal(500_000_000, host.NanoCpus);
        Assert.Equal(0, host.PidsLimit);
        Assert.Equal(("on-failure", 3), (host.RestartPolicy!.Name, host.RestartPolicy.MaximumRetryCount));
        Assert.Equal(
            ["--memory-swap", (256L << 20).ToString(), "--cpu-period", "100000", "--cpu-quota", "50000", "--cpuset-cpus", "0", "--pids-limit", "-1"],
            ResourceUpdate.RuncOptions(request));
    }

    [Fact]
    public void Cpu_lists_parse_ranges_and_refuse_garbage()
    {
        Assert.Equal([0, 1, 2, 5], ResourceUpdate.ParseList("0-2,5")!.Order());
        Assert.Null(ResourceUpdate.ParseList("2-1"));
        Assert.Null(ResourceUpdate.ParseList(""));
    }
}

public sealed class RuncMessagesTests
{
    [Fact]
    public void The_error_lines_message_is_kept_and_warnings_are_dropped()
    {
        const string stderr = """
            time="2026-11-28T07:58:19Z" level=warning msg="Setting back cgroup configs failed due to error: the minimum allowed cpu-shares is 2, your state.json and actual configs might be inconsistent."
            time="2026-11-28T07:58:19Z" level=error msg="the minimum allowed cpu-shares is 2"

            """;
        Assert.Equal("the minimum allowed cpu-shares is 2", RuncMessages.ErrorOf(stderr));
        Assert.Equal("container does not exist", RuncMessages.ErrorOf("container does not exist\n"));
        Assert.Equal("bad \"quote\"", RuncMessages.ErrorOf("level=error msg=\"bad \\\"quote\\\"\"\n"));
    }
}

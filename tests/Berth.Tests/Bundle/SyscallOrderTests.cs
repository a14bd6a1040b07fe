using Berth.Engine.Runtime.Bundle;

namespace Berth.Tests.Bundle;

public sealed class SyscallOrderTests
{
    [Fact]
    public void Names_go_highest_syscall_number_first_and_unknown_ones_last_in_their_order() =>
        // x86_64: read 0, write 1, openat 257
        Assert.Equal(["openat", "write", "read", "no_such_call", "another_one"],
            SyscallOrder.HighestFirst(["read", "no_such_call", "openat", "another_one", "write"]));

    [Fact]
    public void The_default_profile_keeps_every_name_of_every_rule()
    {
        var profile = SeccompProfile.Default;
        foreach (var rule in profile.Syscalls!)
        {
            var names = rule.Names ?? [];
            Assert.Equal(names.Order(StringComparer.Ordinal), SyscallOrder.HighestFirst(names).Order(StringComparer.Ordinal));
        }
    }
}

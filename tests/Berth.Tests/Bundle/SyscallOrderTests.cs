using System.Text.Json;
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
    public void A_parsed_profile_lists_each_rules_names_in_that_order() =>
        Assert.Equal(["openat", "write", "read"], Assert.Single(SeccompProfile.Parse(
            """{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "openat", "write"], "action": "SCMP_ACT_ALLOW"}]}""").Syscalls!).Names);

    [Fact]
    public void The_default_profile_keeps_every_name_of_every_rule()
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream("Berth.Engine.Runtime.Bundle.seccomp-default.json")!;
        using var embedded = JsonDocument.Parse(stream);
        var written = embedded.RootElement.GetProperty("syscalls").EnumerateArray()
            .Select(rule => rule.TryGetProperty("names", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToList() : []).ToList();
        var parsed = SeccompProfile.Default.Syscalls!.Select(rule => rule.Names ?? []).ToList();

        Assert.Equal(written.Count, parsed.Count);
        for (int i = 0; i < written.Count; i++)
            Assert.Equal(written[i].Order(StringComparer.Ordinal), parsed[i].Order(StringComparer.Ordinal));
    }
}

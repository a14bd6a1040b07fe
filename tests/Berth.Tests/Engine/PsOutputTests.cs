using Berth.Engine.Containers;
using Berth.Oci.Errors;

namespace Berth.Tests.Engine;

public sealed class PsOutputTests
{
    private const string Output = """
        UID          PID    PPID  C STIME TTY          TIME CMD
        root           1       0  0 04:00 ?        00:00:01 /sbin/init
        root        4242    4200  0 05:43 ?        00:00:00 sleep 700
        root        4243    4242  0 05:43 ?        00:00:00 sh -c echo a   b
        """;

    [Fact]
    public void Keeps_only_the_containers_rows_and_the_spaces_of_the_last_column()
    {
        var table = ContainerService.ParsePsOutput(Output, new HashSet<int> { 4242, 4243 });

        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], table.Titles);
        Assert.Equal(2, table.Processes.Count);
        Assert.Equal("sleep 700", table.Processes[0][^1]);
        Assert.Equal("sh -c echo a b", table.Processes[1][^1]);
        Assert.Equal(8, table.Processes[1].Count);
    }

    [Fact]
    public void Output_without_a_pid_column_is_an_error()
    {
        var error = Assert.Throws<BerthException>(() => ContainerService.ParsePsOutput("COMMAND\nsleep\n", new HashSet<int>()));
        Assert.Equal("Couldn't find PID field in ps output", error.Message);
    }
}

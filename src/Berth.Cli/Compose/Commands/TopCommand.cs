using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose top</c>: each running container's name, then its processes.</summary>
public static class TopCommand
{
    public static readonly ComposeCommandSpec Spec = new("top", "[SERVICES...]", "Display the running processes", [], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        var context = session.Context;
        var containers = await session.Runner(project).ListContainersAsync(flags.Positionals, all: false, includeOneOff: false, context.Cancellation);
        foreach (var container in containers)
        {
            var (titles, processes) = await context.Client.TopAsync(container.Id, null, context.Cancellation);
            var table = new TabWriter(minWidth: 4, padding: 3);
            table.Write(string.Join('\t', titles) + "\n");
            foreach (var row in processes)
                table.Write(string.Join('\t', row) + "\n");
            context.Out.Write(container.Name + "\n" + table.Flush() + "\n");
        }
        return 0;
    }
}

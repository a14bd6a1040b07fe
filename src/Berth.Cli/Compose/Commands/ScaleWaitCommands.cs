using Berth.Cli.Parsing;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose scale</c> and <c>wait</c>.</summary>
public static class ScaleWaitCommands
{
    public static readonly ComposeCommandSpec ScaleSpec = new("scale", "[SERVICE=REPLICAS...]", "Scale services ",
        [FlagSpec.Bool("no-deps", null, "Don't start linked services")], ArgRule.AtLeast(1), ScaleAsync);

    public static readonly ComposeCommandSpec WaitSpec = new("wait", "SERVICE [SERVICE...] [OPTIONS]", "Block until containers of all (or specified) services stop.",
        [FlagSpec.Bool("down-project", null, "Drops project when the first container stops")], ArgRule.AtLeast(1), WaitAsync);

    /// <summary>up for the services named, with their new counts, recreating nothing that is up to date.</summary>
    private static async Task<int> ScaleAsync(ComposeSession session, ParsedFlags flags)
    {
        var scale = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var value in flags.Positionals)
        {
            var parts = value.Split('=', 2);
            if (parts.Length != 2 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
                throw new CliException($"invalid scale option: {value}: expected SERVICE=REPLICAS");
            scale[parts[0]] = count;
        }
        var project = session.Project;
        ServiceSelection.Check(project, [.. scale.Keys]);
        await session.Runner(project).UpAsync(new UpOptions { Services = [.. scale.Keys], Scale = scale, NoDeps = flags.Bool("no-deps") },
            session.Context.Cancellation);
        return 0;
    }

    /// <summary>Waits for every container of the services named to stop and prints each exit code; the last is the exit status.</summary>
    private static async Task<int> WaitAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        var context = session.Context;
        var runner = session.Runner(project);
        var containers = await runner.ListContainersAsync(flags.Positionals, all: true, includeOneOff: false, context.Cancellation);
        var waits = containers.Select(async c =>
        {
            using var wait = await context.Client.WaitContainerAsync(c.Id, "not-running", context.Cancellation);
            return (int)await wait.Result;
        }).ToList();
        var code = 0;
        if (flags.Bool("down-project") && waits.Count > 0)
        {
            code = await await Task.WhenAny(waits);
            context.Out.Write($"{code}\n");
            await runner.DownAsync(new DownOptions(), context.Cancellation);
            return code;
        }
        foreach (var wait in waits)
        {
            code = await wait;
            context.Out.Write($"{code}\n");
        }
        return code;
    }
}

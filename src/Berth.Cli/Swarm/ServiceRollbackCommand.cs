using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>service rollback</c>: the daemon restores the previous spec (rollback=previous); prints the name, then waits unless -d.</summary>
public static class ServiceRollbackCommand
{
    public static readonly CommandSpec Spec = new("rollback", "[OPTIONS] SERVICE", "Revert changes to a service's configuration",
    [
        FlagSpec.Bool("detach", 'd', "Exit immediately instead of waiting for the service to converge"),
        FlagSpec.Bool("quiet", 'q', "Suppress progress output"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        var service = await context.Client.InspectServiceAsync(name, context.Cancellation);
        var response = await context.Client.UpdateServiceAsync(service.ID, service.Version.Index, service.Spec, null, rollback: true, context.Cancellation);
        foreach (var warning in response.Warnings ?? [])
            context.Err.Write(warning + "\n");
        context.Out.Write(name + "\n");
        if (flags.Bool("detach"))
            return 0;
        return await ServiceWait.RunAsync(context, name, flags.Bool("quiet"));
    }
}

using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>swarm update</c>: the stored spec with the given flags merged, sent at its version.</summary>
public static class SwarmUpdateCommand
{
    public static readonly CommandSpec Spec = new("update", "[OPTIONS]", "Update the swarm", SwarmSpecFlags.Flags, ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var swarm = await context.Client.InspectSwarmAsync(context.Cancellation);
        var wasLocked = swarm.Spec.Obj("EncryptionConfig").Bool("AutoLockManagers");
        SwarmSpecFlags.Merge(swarm.Spec, flags);
        await context.Client.UpdateSwarmAsync(swarm.Version.Index, swarm.Spec, false, false, false, context.Cancellation);
        context.Out.Write("Swarm updated.\n");
        if (flags.Bool("autolock") && !wasLocked)
            SwarmSpecFlags.PrintUnlockCommand(context, (await context.Client.GetUnlockKeyAsync(context.Cancellation)).UnlockKey);
        return 0;
    }
}

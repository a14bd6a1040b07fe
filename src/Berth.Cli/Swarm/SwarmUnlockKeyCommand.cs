using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>swarm unlock-key [-q] [--rotate]</c>.</summary>
public static class SwarmUnlockKeyCommand
{
    public static readonly CommandSpec Spec = new("unlock-key", "[OPTIONS]", "Manage the unlock key",
    [
        FlagSpec.Bool("quiet", 'q', "Only display token"),
        FlagSpec.Bool("rotate", null, "Rotate unlock key"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var quiet = flags.Bool("quiet");
        if (flags.Bool("rotate"))
        {
            var swarm = await context.Client.InspectSwarmAsync(context.Cancellation);
            if (!swarm.Spec.Obj("EncryptionConfig").Bool("AutoLockManagers"))
                throw new CliException("cannot rotate because autolock is not turned on");
            await context.Client.UpdateSwarmAsync(swarm.Version.Index, swarm.Spec, false, false, true, context.Cancellation);
            if (!quiet)
                context.Out.Write("Successfully rotated manager unlock key.\n\n");
        }
        var key = (await context.Client.GetUnlockKeyAsync(context.Cancellation)).UnlockKey;
        if (key.Length == 0)
            throw new CliException("no unlock key is set");
        if (quiet)
            context.Out.Write(key + "\n");
        else
            SwarmSpecFlags.PrintUnlockCommand(context, key);
        return 0;
    }
}

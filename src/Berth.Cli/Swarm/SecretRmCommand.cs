using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>secret rm</c> and <c>config rm</c>.</summary>
public static class SecretRmCommand
{
    public static readonly CommandSpec SecretSpec = new("rm", "SECRET [SECRET...]", "Remove one or more secrets", [], ArgRule.AtLeast(1),
        (c, f) => RunAsync(c, f, SecretKind.Secret), Aliases: ["remove"]);

    public static readonly CommandSpec ConfigSpec = new("rm", "CONFIG [CONFIG...]", "Remove one or more configs", [], ArgRule.AtLeast(1),
        (c, f) => RunAsync(c, f, SecretKind.Config), Aliases: ["remove"]);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags, SecretKind kind) =>
        Batch.RunAsync(context, flags.Positionals, name => context.Client.RemoveSecretAsync(kind.Resource, name, context.Cancellation));
}

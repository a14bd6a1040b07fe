using Berth.Cli.Parsing;
using Berth.Cli.Registry;

namespace Berth.Cli.Commands;

public static class LogoutCommand
{
    public static readonly CommandSpec Spec = new("logout", "[SERVER]",
        "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.",
        [], ArgRule.Between(0, 1), RunAsync, Short: "Log out from a registry");

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string server = RegistryServer.ForLogin(flags.Positionals.Count > 0 ? flags.Positionals[0] : null);
        var store = CredentialStore.Open(context);
        if (!await store.EraseAsync(server, context.Cancellation))
        {
            context.Out.Write($"Not logged in to {server}\n");
            return 0;
        }
        context.Out.Write($"Removing login credentials for {server}\n");
        return 0;
    }
}

using Berth.Client;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

public static class LoginCommand
{
    public static readonly CommandSpec Spec = new("login", "[OPTIONS] [SERVER]",
        "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.",
    [
        FlagSpec.String("password", 'p', "Password"),
        FlagSpec.Bool("password-stdin", null, "Take the password from stdin"),
        FlagSpec.String("username", 'u', "Username"),
    ], ArgRule.Between(0, 1), RunAsync, Short: "Authenticate to a registry");

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string? username = flags.String("username"), password = flags.String("password");
        if (password is not null && flags.Bool("password-stdin")) throw new CliException("--password and --password-stdin are mutually exclusive");
        if (flags.Bool("password-stdin"))
        {
            if (string.IsNullOrEmpty(username)) throw new CliException("Must provide --username with --password-stdin");
            using var reader = new StreamReader(context.Stdin, leaveOpen: true);
            password = (await reader.ReadToEndAsync(context.Cancellation)).TrimEnd('\n', '\r');
        }
        else if (password is not null)
        {
            context.Err.Write("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
        }

        string server = RegistryServer.ForLogin(flags.Positionals.Count > 0 ? flags.Positionals[0] : null);
        var store = CredentialStore.Open(context);
        if (string.IsNullOrEmpty(username) || password is null)
        {
            var stored = await store.GetAsync(server, context.Cancellation);
            (username, password) = Prompt(context, string.IsNullOrEmpty(username) ? stored?.Username : username, password);
        }
        string user = username, secret = password;

        JsonNodeReply reply;
        try
        {
            reply = new JsonNodeReply(await context.Client.LoginAsync(user, secret, server, context.Cancellation));
        }
        catch (EngineApiException e)
        {
            throw new CliException($"Error response from daemon: {e.Message}");
        }
        var credentials = reply.IdentityToken is { Length: > 0 } token
            ? new Credentials(server, user, "", token)
            : new Credentials(server, user, secret);
        await store.StoreAsync(credentials, context.Cancellation);
        if (store.StoresInFile(server))
        {
            context.Err.Write($"\nWARNING! Your credentials are stored unencrypted in '{store.Config.Path}'.\n" +
                              "Configure a credential helper to remove this warning. See\n" +
                              "https://docs.docker.com/go/credential-store/\n\n");
        }
        context.Out.Write((reply.Status.Length > 0 ? reply.Status : "Login Succeeded") + "\n");
        return 0;
    }

    /// <summary>Asks for what the flags did not give, as docker does; only on a terminal, the password without echo.</summary>
    private static (string Username, string Password) Prompt(CliContext context, string? username, string? password)
    {
        if (!NativeTerminal.IsTerminal(0)) throw new CliException("Error: Cannot perform an interactive login from a non TTY device");
        if (string.IsNullOrEmpty(username))
        {
            context.Out.Write("Username: ");
            context.Out.Flush();
            username = ReadLine(context.Stdin).Trim();
            if (username.Length == 0) throw new CliException("Error: Non-null Username Required");
        }
        if (password is null)
        {
            context.Out.Write("Password: ");
            context.Out.Flush();
            using (RawMode.Enter(0))
                password = ReadLine(context.Stdin);
            context.Out.Write("\n");
            if (password.Length == 0) throw new CliException("Error: Password Required");
        }
        return (username, password);
    }

    /// <summary>Bytes up to a line end, unbuffered (a raw terminal ends lines with \r).</summary>
    private static string ReadLine(Stream input)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = input.ReadByte()) >= 0 && b != '\n' && b != '\r')
        {
            if (b == 3) throw new OperationCanceledException(); // ^C in raw mode
            bytes.Add((byte)b);
        }
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    private readonly struct JsonNodeReply(System.Text.Json.Nodes.JsonObject reply)
    {
        public string Status => reply.Str("Status");
        public string IdentityToken => reply.Str("IdentityToken");
    }
}

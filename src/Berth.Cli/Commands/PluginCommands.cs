using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Build;
using Berth.Cli.Containers;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>plugin create/ls/inspect/rm/enable/disable/set/install/push/upgrade</c>, sending the requests docker's CLI sends,
/// so berth manages the plugins of berthd and of a dockerd alike.
/// </summary>
public static class PluginCommands
{
    private const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Description}}\t{{.Enabled}}";
    private const int DescriptionWidth = 45;

    public static readonly CommandSpec CreateSpec = new("create", "[OPTIONS] PLUGIN PLUGIN-DATA-DIR",
        "Create a plugin from a rootfs and configuration. Plugin data directory must contain config.json and rootfs directory.",
    [
        FlagSpec.Bool("compress", null, "Compress the context using gzip"),
    ], ArgRule.Exactly(2), CreateAsync);

    public static readonly CommandSpec LsSpec = new("ls", "[OPTIONS]", "List plugins",
    [
        FilterFlag.Spec("Provide filter values (e.g. \"enabled=true\")"),
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
        FlagSpec.Bool("quiet", 'q', "Only display plugin IDs"),
    ], ArgRule.None, ListAsync, Aliases: ["list"]);

    public static readonly CommandSpec InspectSpec = new("inspect", "[OPTIONS] PLUGIN [PLUGIN...]", "Display detailed information on one or more plugins",
    [
        FlagSpec.String("format", 'f', "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
    ], ArgRule.AtLeast(1), (context, flags) => InspectCommand.InspectEachAsync(context, flags, context.Client.InspectPluginRawAsync));

    public static readonly CommandSpec RmSpec = new("rm", "[OPTIONS] PLUGIN [PLUGIN...]", "Remove one or more plugins",
    [
        FlagSpec.Bool("force", 'f', "Force the removal of an active plugin"),
    ], ArgRule.AtLeast(1), (context, flags) => Batch.RunAsync(context, flags.Positionals,
        name => context.Client.RemovePluginAsync(name, flags.Bool("force"), context.Cancellation)), Aliases: ["remove"]);

    public static readonly CommandSpec EnableSpec = new("enable", "[OPTIONS] PLUGIN", "Enable a plugin",
    [
        FlagSpec.Int("timeout", null, "HTTP client timeout (in seconds)", "30"),
    ], ArgRule.Exactly(1), EnableAsync);

    public static readonly CommandSpec DisableSpec = new("disable", "[OPTIONS] PLUGIN", "Disable a plugin",
    [
        FlagSpec.Bool("force", 'f', "Force the disable of an active plugin"),
    ], ArgRule.Exactly(1), (context, flags) => Batch.RunAsync(context, flags.Positionals,
        name => context.Client.DisablePluginAsync(name, flags.Bool("force"), context.Cancellation)));

    public static readonly CommandSpec SetSpec = new("set", "PLUGIN KEY=VALUE [KEY=VALUE...]", "Change settings for a plugin", [],
        ArgRule.AtLeast(2), async (context, flags) =>
        {
            await context.Client.SetPluginAsync(flags.Positionals[0], flags.Positionals.Skip(1), context.Cancellation);
            return 0;
        });

    public static readonly CommandSpec InstallSpec = new("install", "[OPTIONS] PLUGIN [KEY=VALUE...]", "Install a plugin",
    [
        FlagSpec.String("alias", null, "Local name for plugin"),
        FlagSpec.Bool("disable", null, "Do not enable the plugin on install"),
        FlagSpec.Bool("disable-content-trust", null, "Skip image verification (default true)"),
        FlagSpec.Bool("grant-all-permissions", null, "Grant all permissions necessary to run the plugin"),
    ], ArgRule.AtLeast(1), InstallAsync);

    public static readonly CommandSpec PushSpec = new("push", "[OPTIONS] PLUGIN[:TAG]", "Push a plugin to a registry",
    [
        FlagSpec.Bool("disable-content-trust", null, "Skip image signing (default true)"),
    ], ArgRule.Exactly(1), PushAsync);

    public static readonly CommandSpec UpgradeSpec = new("upgrade", "[OPTIONS] PLUGIN [REMOTE]", "Upgrade an existing plugin",
    [
        FlagSpec.Bool("disable-content-trust", null, "Skip image verification (default true)"),
        FlagSpec.Bool("grant-all-permissions", null, "Grant all permissions necessary to run the plugin"),
        FlagSpec.Bool("skip-remote-check", null, "Do not check if specified remote plugin matches existing plugin image"),
    ], ArgRule.Between(1, 2), UpgradeAsync);

    public static readonly IReadOnlyList<CommandSpec> All =
        [CreateSpec, DisableSpec, EnableSpec, InspectSpec, InstallSpec, LsSpec, PushSpec, RmSpec, SetSpec, UpgradeSpec];

    private static async Task<int> ListAsync(CliContext context, ParsedFlags flags)
    {
        var plugins = await context.Client.ListPluginsAsync(FilterFlag.From(flags), context.Cancellation);
        bool truncate = !flags.Bool("no-trunc");
        var formatter = new ListFormatter(flags.String("format"), DefaultTable, flags.Bool("quiet"));
        var rows = plugins.Where(p => p is not null).Select(p => Row(p!, truncate));
        context.Out.Write(formatter.Render(GoTemplateAdapter.MarkHeader(Header()), rows));
        return 0;
    }

    private static JsonObject Header() => new()
    {
        ["ID"] = "ID",
        ["Name"] = "NAME",
        ["Description"] = "DESCRIPTION",
        ["Enabled"] = "ENABLED",
        ["PluginReference"] = "IMAGE",
    };

    private static JsonObject Row(JsonNode plugin, bool truncate)
    {
        string id = plugin.Str("Id"), description = plugin.Obj("Config")?.Str("Description") ?? "";
        return new JsonObject
        {
            ["ID"] = truncate ? IdFormat.Truncate(id) : id,
            ["Name"] = plugin.Str("Name"),
            ["Description"] = truncate ? IdFormat.Ellipsis(description, DescriptionWidth) : description,
            ["Enabled"] = plugin["Enabled"]?.GetValue<bool>() == true ? "true" : "false",
            ["PluginReference"] = plugin.Str("PluginReference"),
        };
    }

    /// <summary>
    /// docker checks the directory and decodes its config.json before it sends the directory's tar; it prints the
    /// plugin's name once the daemon has made it.
    /// </summary>
    private static async Task<int> CreateAsync(CliContext context, ParsedFlags flags)
    {
        string name = flags.Positionals[0];
        string dir = Path.GetFullPath(flags.Positionals[1]);
        if (!Directory.Exists(dir))
            throw new CliException(File.Exists(dir) ? "context must be a directory" : $"lstat {dir}: no such file or directory");
        string configPath = Path.Join(dir, "config.json");
        if (!File.Exists(configPath)) throw new CliException($"open {configPath}: no such file or directory");
        try
        {
            if (System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(configPath)).RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
                throw new CliException("json: cannot unmarshal config.json into Go value of type types.PluginConfig");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException(e.Message);
        }
        var archive = new ContextArchive(new ContextWalker(dir, Berth.Api.BuildContext.DockerIgnore.Empty, null).Walk(), []);
        var pipe = new System.IO.Pipelines.Pipe();
        var writing = Task.Run(async () =>
        {
            await using var output = pipe.Writer.AsStream();
            await archive.WriteAsync(output, context.Cancellation);
        }, context.Cancellation);
        await using (var input = pipe.Reader.AsStream())
            await context.Client.CreatePluginAsync(name, input, context.Cancellation);
        await writing;
        context.Out.Write(name + "\n");
        return 0;
    }

    private static async Task<int> EnableAsync(CliContext context, ParsedFlags flags)
    {
        string name = flags.Positionals[0];
        long timeout = flags.Int("timeout") ?? 30;
        if (timeout < 0) throw new CliException($"negative timeout {timeout} is invalid");
        await context.Client.EnablePluginAsync(name, checked((int)timeout), context.Cancellation);
        context.Out.Write(name + "\n");
        return 0;
    }

    /// <summary>
    /// docker's install: the alias normalized (no digest), the privileges asked of the daemon and granted (a prompt
    /// unless --grant-all-permissions), the pull, then the KEY=VALUE args set and the plugin enabled (unless --disable)
    /// under the name the daemon gave it.
    /// </summary>
    private static async Task<int> InstallAsync(CliContext context, ParsedFlags flags)
    {
        string remote = flags.Positionals[0];
        string alias = flags.String("alias") ?? "";
        if (alias.Length > 0)
        {
            if (alias.Contains('@')) throw new CliException($"invalid name: {alias}");
            alias = ImageReference.Parse(alias).Familiar;
        }
        string auth = await RegistryAuthHeader.ForImageAsync(context, remote);
        var privileges = await GrantAsync(context, flags, remote, auth);
        if (privileges is null) throw new CliException($"permission denied while installing plugin {remote}");
        var (messages, name) = await context.Client.PullPluginAsync(remote, alias, privileges, auth, context.Cancellation);
        await RenderAsync(context, messages);
        var args = flags.Positionals.Skip(1).ToList();
        if (args.Count > 0) await context.Client.SetPluginAsync(name, args, context.Cancellation);
        if (!flags.Bool("disable")) await context.Client.EnablePluginAsync(name, 0, context.Cancellation);
        context.Out.Write($"Installed plugin {remote}\n");
        return 0;
    }

    /// <summary>The privileges the daemon lists for <paramref name="remote"/>, once the user grants them (null when refused).</summary>
    private static async Task<JsonArray?> GrantAsync(CliContext context, ParsedFlags flags, string remote, string auth)
    {
        var privileges = await context.Client.PluginPrivilegesAsync(remote, auth, context.Cancellation);
        if (flags.Bool("grant-all-permissions") || privileges.Count == 0) return privileges;
        var text = new System.Text.StringBuilder($"Plugin \"{remote}\" is requesting the following privileges:\n");
        foreach (var privilege in privileges)
        {
            var values = privilege?["Value"] as JsonArray ?? [];
            text.Append($" - {privilege?.Str("Name")}: [{string.Join(' ', values.Select(v => v?.GetValue<string>()))}]\n");
        }
        text.Append("Do you grant the above permissions?");
        return Confirmation.AskLine(context, text.ToString()) ? privileges : null;
    }

    private static async Task RenderAsync(CliContext context, Stream messages)
    {
        await using (messages)
        {
            try
            {
                await new ProgressRenderer(context.Out, NativeTerminal.IsTerminal(1)).RenderAsync(messages, false, context.Cancellation);
            }
            catch (JsonMessageException e)
            {
                throw new CliException(e.Message);
            }
        }
    }

    private static async Task<int> PushAsync(CliContext context, ParsedFlags flags)
    {
        string name = flags.Positionals[0];
        string auth = await RegistryAuthHeader.ForImageAsync(context, name);
        await RenderAsync(context, await context.Client.PushPluginAsync(name, auth, context.Cancellation));
        return 0;
    }

    /// <summary>
    /// docker's upgrade: the installed plugin read first ("error reading plugin data" when missing), refused while
    /// enabled, the remote defaulting to where it came from; another remote (even another tag) asks first unless
    /// --skip-remote-check; then privileges as install, and the upgrade's progress.
    /// </summary>
    private static async Task<int> UpgradeAsync(CliContext context, ParsedFlags flags)
    {
        JsonNode plugin;
        try
        {
            plugin = JsonNode.Parse(await context.Client.InspectPluginRawAsync(flags.Positionals[0], context.Cancellation))!;
        }
        catch (EngineApiException e)
        {
            throw new CliException($"error reading plugin data: Error response from daemon: {e.Message}");
        }
        if (plugin["Enabled"]?.GetValue<bool>() == true) throw new CliException("the plugin must be disabled before upgrading");
        string name = plugin.Str("Name");
        string remote = flags.Positionals.Count > 1 ? flags.Positionals[1] : plugin.Str("PluginReference");
        var from = ImageReference.Parse(plugin.Str("PluginReference"));
        var to = ImageReference.Parse(remote);
        context.Out.Write($"Upgrading plugin {name} from {from.Familiar} to {to.Familiar}\n");
        if (!flags.Bool("skip-remote-check") && from.Familiar != to.Familiar
            && !Confirmation.AskLine(context, "Plugin images do not match, are you sure?"))
            return 0;
        string auth = await RegistryAuthHeader.ForImageAsync(context, remote);
        var privileges = await GrantAsync(context, flags, remote, auth);
        if (privileges is null) throw new CliException($"permission denied while upgrading plugin {remote}");
        await RenderAsync(context, await context.Client.UpgradePluginAsync(name, remote, privileges, auth, context.Cancellation));
        context.Out.Write($"Upgraded plugin {name} to {remote}\n");
        return 0;
    }
}

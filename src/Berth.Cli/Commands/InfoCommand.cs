using System.Text;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class InfoCommand
{
    public static readonly CommandSpec Spec = new("info", "[OPTIONS]", "Display system-wide information",
    [
        FlagSpec.String("format", 'f', "Format output using a custom template"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var format = flags.String("format");
        if (format is { Length: > 0 })
        {
            var info = await context.Client.InfoAsync(context.Cancellation);
            var template = Formatting.OutputTemplates.ParseForInspect(format == "json" ? "{{json .}}" : format);
            context.Out.Write(template.Execute(info) + "\n");
            return 0;
        }
        var text = new StringBuilder();
        text.Append("Client:\n Version:    ").Append(BuildInfo.Version).Append("\n Context:    default\n Debug Mode: false\n\nServer:\n");
        JsonObject server;
        try
        {
            server = await context.Client.InfoAsync(context.Cancellation);
        }
        catch (Exception e) when (e is DaemonUnreachableException or EngineApiException)
        {
            context.Out.Write(text.ToString());
            context.FlushOut();
            throw;
        }
        AppendServer(text, server);
        context.Out.Write(text.ToString());
        return 0;
    }

    private static void AppendServer(StringBuilder text, JsonObject info)
    {
        void Line(string indent, string key, string value) => text.Append(indent).Append(key).Append(": ").Append(value).Append('\n');
        static string Value(JsonNode? node) => node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => node.ToJsonString(),
        };

        Line(" ", "Containers", info.Long("Containers").ToString());
        Line("  ", "Running", info.Long("ContainersRunning").ToString());
        Line("  ", "Paused", info.Long("ContainersPaused").ToString());
        Line("  ", "Stopped", info.Long("ContainersStopped").ToString());
        Line(" ", "Images", info.Long("Images").ToString());
        Line(" ", "Server Version", info.Str("ServerVersion"));
        Line(" ", "Storage Driver", info.Str("Driver"));
        foreach (var pair in info.Arr("DriverStatus") ?? [])
        {
            if (pair is JsonArray { Count: 2 } kv)
                Line("  ", Value(kv[0]), Value(kv[1]));
        }
        Line(" ", "Logging Driver", info.Str("LoggingDriver"));
        Line(" ", "Cgroup Driver", info.Str("CgroupDriver"));
        Line(" ", "Cgroup Version", info.Str("CgroupVersion"));
        text.Append(" Plugins:\n");
        var plugins = info.Obj("Plugins");
        Line("  ", "Volume", string.Join(' ', plugins.Strings("Volume")));
        Line("  ", "Network", string.Join(' ', plugins.Strings("Network")));
        Line("  ", "Log", string.Join(' ', plugins.Strings("Log")));
        Line(" ", "Swarm", info.Obj("Swarm").Str("LocalNodeState") is { Length: > 0 } swarm ? swarm : "inactive");
        Line(" ", "Runtimes", string.Join(' ', info.Obj("Runtimes")?.Select(r => r.Key).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>()));
        Line(" ", "Default Runtime", info.Str("DefaultRuntime"));
        Line(" ", "Init Binary", info.Str("InitBinary"));
        Line(" ", "containerd version", info.Obj("ContainerdCommit").Str("ID"));
        Line(" ", "runc version", info.Obj("RuncCommit").Str("ID"));
        Line(" ", "init version", info.Obj("InitCommit").Str("ID"));
        var security = info.Strings("SecurityOptions");
        if (security.Count > 0)
        {
            text.Append(" Security Options:\n");
            foreach (var option in security)
            {
                var fields = option.Split(',').Select(f => f.Split('=', 2)).ToList();
                foreach (var field in fields)
                {
                    if (field[0] == "name")
                        text.Append("  ").Append(field.Length > 1 ? field[1] : "").Append('\n');
                    else if (field.Length > 1)
                        text.Append("   ").Append(char.ToUpperInvariant(field[0][0])).Append(field[0][1..]).Append(": ").Append(field[1]).Append('\n');
                }
            }
        }
        Line(" ", "Kernel Version", info.Str("KernelVersion"));
        Line(" ", "Operating System", info.Str("OperatingSystem"));
        Line(" ", "OSType", info.Str("OSType"));
        Line(" ", "Architecture", info.Str("Architecture"));
        Line(" ", "CPUs", info.Long("NCPU").ToString());
        Line(" ", "Total Memory", HumanUnits.BytesSize(info.Long("MemTotal")));
        Line(" ", "Name", info.Str("Name"));
        Line(" ", "ID", info.Str("ID"));
        Line(" ", "Docker Root Dir", info.Str("DockerRootDir"));
        Line(" ", "Debug Mode", info.Bool("Debug") ? "true" : "false");
        if (info.Strings("Labels") is { Count: > 0 } labels)
        {
            text.Append(" Labels:\n");
            foreach (var label in labels)
                text.Append("  ").Append(label).Append('\n');
        }
        Line(" ", "Experimental", info.Bool("ExperimentalBuild") ? "true" : "false");
        var insecure = info.Obj("RegistryConfig").Arr("InsecureRegistryCIDRs");
        if (insecure is { Count: > 0 })
        {
            text.Append(" Insecure Registries:\n");
            foreach (var cidr in insecure)
                text.Append("  ").Append(Value(cidr)).Append('\n');
        }
        if (info.Obj("RegistryConfig").Strings("Mirrors") is { Count: > 0 } mirrors)
        {
            text.Append(" Registry Mirrors:\n");
            foreach (var mirror in mirrors)
                text.Append("  ").Append(mirror).Append('\n');
        }
        Line(" ", "Live Restore Enabled", info.Bool("LiveRestoreEnabled") ? "true" : "false");
        text.Append('\n');
        foreach (var warning in info.Strings("Warnings"))
            text.Append(warning).Append('\n');
    }
}

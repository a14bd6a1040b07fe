using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Http;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

public static class VersionCommand
{
    public static readonly CommandSpec Spec = new("version", "[OPTIONS]", "Show the Docker version information",
    [
        FlagSpec.String("format", 'f', "Format output using a custom template"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        if (flags.String("format") is { Length: > 0 })
            throw new CliException("berth version --format is not supported yet");
        JsonObject? server = null;
        Exception? failure = null;
        try
        {
            server = await context.Client.VersionAsync(context.Cancellation);
        }
        catch (Exception e) when (e is EngineApiException or DaemonUnreachableException)
        {
            failure = e;
        }
        var text = new StringBuilder();
        var negotiated = context.Client.ApiVersion ?? ApiVersion.ClientMax;
        var api = negotiated == ApiVersion.ClientMax ? negotiated : $"{negotiated} (downgraded from {ApiVersion.ClientMax})";
        text.Append("Client:\n");
        Line(text, " ", "Version:", BuildInfo.Version, 19);
        Line(text, " ", "API version:", api, 19);
        Line(text, " ", ".NET version:", RuntimeInformation.FrameworkDescription, 19);
        Line(text, " ", "Git commit:", BuildInfo.GitCommit, 19);
        Line(text, " ", "OS/Arch:", $"linux/{Arch(RuntimeInformation.OSArchitecture)}", 19);
        Line(text, " ", "Context:", "default", 19);
        if (server is not null)
        {
            var platform = server.Obj("Platform").Str("Name");
            text.Append("\nServer:").Append(platform.Length > 0 ? " " + platform : "").Append('\n');
            foreach (var component in server.Arr("Components") ?? [])
            {
                var details = component.Obj("Details");
                text.Append(' ').Append(component.Str("Name")).Append(":\n");
                if (component.Str("Name") == "Engine")
                {
                    Line(text, "  ", "Version:", component.Str("Version"));
                    Line(text, "  ", "API version:", $"{details.Str("ApiVersion")} (minimum version {details.Str("MinAPIVersion")})");
                    Line(text, "  ", "Go version:", details.Str("GoVersion"));
                    Line(text, "  ", "Git commit:", details.Str("GitCommit"));
                    Line(text, "  ", "Built:", Ansic(details.Str("BuildTime")));
                    Line(text, "  ", "OS/Arch:", $"{details.Str("Os")}/{details.Str("Arch")}");
                    Line(text, "  ", "Experimental:", details.Str("Experimental"));
                }
                else
                {
                    Line(text, "  ", "Version:", component.Str("Version"));
                    foreach (var (key, value) in (details ?? []).OrderBy(d => d.Key, StringComparer.Ordinal))
                        Line(text, "  ", key + ":", (value as JsonValue)?.ToString() ?? "");
                }
            }
        }
        context.Out.Write(text.ToString());
        if (failure is not null)
        {
            context.FlushOut();
            throw failure;
        }
        return 0;
    }

    private static void Line(StringBuilder text, string indent, string key, string value, int width = 18)
        => text.Append(indent).Append(key.PadRight(width)).Append(value).Append('\n');

    private static string Arch(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    /// <summary>docker shows the daemon's build time in Go's ANSIC layout ("Thu May  7 21:09:36 2026").</summary>
    private static string Ansic(string time)
    {
        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return time;
        var local = parsed.ToLocalTime();
        return local.ToString("ddd MMM ", CultureInfo.InvariantCulture) + local.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + local.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }
}

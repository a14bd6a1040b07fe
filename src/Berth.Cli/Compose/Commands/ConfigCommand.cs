using Berth.Cli.Parsing;
using Berth.Compose.Model;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose config</c>: the project as loaded (canonical YAML or JSON), or one of its lists.</summary>
public static class ConfigCommand
{
    public static readonly ComposeCommandSpec Spec = new("config", "[OPTIONS] [SERVICE...]", "Parse, resolve and render compose file in canonical format",
    [
        FlagSpec.String("format", null, "Format the output. Values: [yaml | json]", "yaml"),
        FlagSpec.Bool("images", null, "Print the image names, one per line."),
        FlagSpec.Bool("networks", null, "Print the network names, one per line."),
        FlagSpec.String("output", 'o', "Save to file (default to stdout)"),
        FlagSpec.Bool("profiles", null, "Print the profile names, one per line."),
        FlagSpec.Bool("quiet", 'q', "Only validate the configuration, don't print anything."),
        FlagSpec.Bool("services", null, "Print the service names, one per line."),
        FlagSpec.Bool("volumes", null, "Print the volume names, one per line."),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.Project;
        if (flags.Positionals.Count > 0)
            project = project with { Services = ServiceSelection.Select(project, flags.Positionals, withDependencies: true) };
        if (flags.Bool("quiet"))
            return 0;
        var text = Render(project, flags);
        if (flags.String("output") is { Length: > 0 } file)
            await File.WriteAllTextAsync(file, text, session.Context.Cancellation);
        else
            session.Context.Out.Write(text);
        return 0;
    }

    private static string Render(ComposeProject project, ParsedFlags flags)
    {
        static string Lines(IEnumerable<string> items) => string.Concat(items.Select(i => i + "\n"));
        if (flags.Bool("services"))
            return Lines(project.Services.Keys);
        if (flags.Bool("volumes"))
            return Lines(project.Volumes.Keys);
        if (flags.Bool("networks"))
            return Lines(project.Networks.Keys);
        if (flags.Bool("profiles"))
            return Lines(project.Services.Values.Concat(project.DisabledServices.Values).SelectMany(s => s.Profiles)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        if (flags.Bool("images"))
            return Lines(project.Services.Values.Select(s => s.Image ?? $"{project.Name}-{s.Name}"));
        return flags.StringOr("format", "yaml") switch
        {
            "yaml" => ProjectWriter.ToYaml(project),
            "json" => ProjectWriter.ToJson(project) + "\n",
            var other => throw new CliException($"unsupported format \"{other}\""),
        };
    }
}

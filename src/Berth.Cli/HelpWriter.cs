using System.Text;
using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>Usage text in docker's layout.</summary>
public static class HelpWriter
{
    public static string Command(string path, CommandSpec spec)
    {
        var text = new StringBuilder();
        text.Append("Usage:  ").Append(path).Append(spec.Usage.Length > 0 ? " " + spec.Usage : "").Append("\n\n").Append(spec.Description).Append('\n');
        if (spec.Aliases is { Count: > 0 })
        {
            text.Append("\nAliases:\n  ").Append(path);
            foreach (var alias in spec.Aliases)
                text.Append(", ").Append(path[..(path.LastIndexOf(' ') + 1)]).Append(alias);
            text.Append('\n');
        }
        AppendFlags(text, "Options", spec.Flags);
        return text.ToString();
    }

    public static string Group(string program, CommandGroup group)
    {
        var text = new StringBuilder();
        text.Append("Usage:  ").Append(program).Append(' ').Append(group.Name).Append(" COMMAND\n\n").Append(group.Description).Append("\n\nCommands:\n");
        foreach (var command in group.Commands.OrderBy(c => c.Name, StringComparer.Ordinal))
            AppendEntry(text, command.Name, command.Summary);
        text.Append("\nRun '").Append(program).Append(' ').Append(group.Name).Append(" COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    /// <summary>docker's "Common Commands" section, in docker's order (not alphabetical).</summary>
    private static readonly string[] CommonCommands = ["run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search", "version", "info"];

    /// <summary>The management commands docker lists under "Swarm Commands".</summary>
    private static readonly HashSet<string> SwarmGroups = ["config", "node", "secret", "service", "stack", "swarm"];

    /// <summary>
    /// docker 28's root help: Common, Management, Swarm, then the remaining Commands. Docker shows compose as a
    /// plugin (starred, with a footnote); berth has it built in, so it is a plain management command.
    /// </summary>
    public static string Root(string program, IEnumerable<CommandSpec> commands, IEnumerable<CommandGroup> groups)
    {
        var topLevel = commands.ToList();
        var text = new StringBuilder();
        text.Append("Usage:  ").Append(program).Append(" [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n");

        text.Append("\nCommon Commands:\n");
        foreach (var name in CommonCommands)
        {
            if (topLevel.FirstOrDefault(c => c.Name == name) is { } command)
                AppendEntry(text, command.Name, command.Summary);
        }

        var groupEntries = groups.Select(g => (Name: g.Name, Description: g.Description))
            .Append((Name: "compose", Description: "Define and run multi-container applications"))
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        text.Append("\nManagement Commands:\n");
        foreach (var (name, description) in groupEntries.Where(g => !SwarmGroups.Contains(g.Name)))
            AppendEntry(text, name, description);
        if (groupEntries.Any(g => SwarmGroups.Contains(g.Name)))
        {
            text.Append("\nSwarm Commands:\n");
            foreach (var (name, description) in groupEntries.Where(g => SwarmGroups.Contains(g.Name)))
                AppendEntry(text, name, description);
        }

        text.Append("\nCommands:\n");
        foreach (var command in topLevel.Where(c => !CommonCommands.Contains(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal))
            AppendEntry(text, command.Name, command.Summary);
        AppendFlags(text, "Global Options", GlobalOptions.Flags);
        text.Append("\nRun '").Append(program).Append(" COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    private static void AppendEntry(StringBuilder text, string name, string summary)
        => text.Append("  ").Append(name.PadRight(12)).Append(summary).Append('\n');

    public static string FlagsSection(string title, IEnumerable<FlagSpec> flags)
    {
        var text = new StringBuilder();
        AppendFlags(text, title, flags);
        return text.ToString();
    }

    private static void AppendFlags(StringBuilder text, string title, IEnumerable<FlagSpec> flags)
    {
        var visible = flags.Where(f => !f.Hidden).OrderBy(f => f.Long, StringComparer.Ordinal).ToList();
        if (visible.Count == 0)
            return;
        text.Append('\n').Append(title).Append(":\n");
        var rows = visible.Select(f =>
        {
            var name = (f.Short is { } s ? $"  -{s}, " : "      ") + "--" + f.Long;
            var type = f.Kind switch
            {
                FlagKind.Bool => "",
                FlagKind.List => " list",
                FlagKind.Int => " int",
                FlagKind.Duration => " duration",
                _ => " string",
            };
            var usage = f.Usage + (f.DefaultText is { Length: > 0 } d ? $" (default {(f.Kind == FlagKind.String ? $"\"{d}\"" : d)})" : "");
            return (Left: name + type, usage);
        }).ToList();
        var width = rows.Max(r => r.Left.Length) + 3;
        foreach (var (left, usage) in rows)
            text.Append(left.PadRight(width)).Append(usage).Append('\n');
    }
}

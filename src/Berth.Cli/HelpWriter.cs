using System.Text;
using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>Usage text in docker's layout.</summary>
public static class HelpWriter
{
    public static string Command(string path, CommandSpec spec)
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  ").Append(path).Append(' ').Append(spec.Usage).Append("\n\n").Append(spec.Description).Append('\n');
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
            text.Append("  ").Append(command.Name.PadRight(12)).Append(command.Description).Append('\n');
        text.Append("\nRun '").Append(program).Append(' ').Append(group.Name).Append(" COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

    public static string Root(string program, IEnumerable<CommandSpec> commands, IEnumerable<CommandGroup> groups)
    {
        var text = new StringBuilder();
        text.Append("\nUsage:  ").Append(program).Append(" [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nManagement Commands:\n");
        var management = groups.Select(g => (Name: g.Name, Description: g.Description))
            .Append((Name: "compose", Description: "Define and run multi-container applications"))
            .OrderBy(g => g.Name, StringComparer.Ordinal);
        foreach (var (name, description) in management)
            text.Append("  ").Append(name.PadRight(12)).Append(description).Append('\n');
        text.Append("\nCommands:\n");
        foreach (var command in commands.OrderBy(c => c.Name, StringComparer.Ordinal))
            text.Append("  ").Append(command.Name.PadRight(12)).Append(command.Description).Append('\n');
        AppendFlags(text, "Global Options", GlobalOptions.Flags);
        text.Append("\nRun '").Append(program).Append(" COMMAND --help' for more information on a command.\n");
        return text.ToString();
    }

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

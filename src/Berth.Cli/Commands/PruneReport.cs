using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>
/// What docker prints after a prune: "Deleted KIND:" and one line per object (when any), then the space reclaimed
/// (go-units' HumanSize: four significant digits, "123.5kB", not the three of the list tables).
/// </summary>
public static class PruneReport
{
    public static void Write(CliContext context, string kind, IEnumerable<string> deletedLines, long spaceReclaimed)
    {
        var text = new System.Text.StringBuilder();
        var lines = deletedLines.ToList();
        if (lines.Count > 0)
        {
            text.Append("Deleted ").Append(kind).Append(":\n");
            foreach (var line in lines)
                text.Append(line).Append('\n');
            text.Append('\n');
        }
        text.Append("Total reclaimed space: ").Append(HumanUnits.HumanSize(spaceReclaimed, precision: 4)).Append('\n');
        context.Out.Write(text.ToString());
    }
}

namespace Berth.Cli.Commands;

/// <summary>docker's "[y/N]" prompt before destructive prunes (skipped with -f).</summary>
public static class Confirmation
{
    public static bool Ask(CliContext context, string warning) => AskLine(context, $"{warning}\nAre you sure you want to continue?");

    /// <summary>The question as given, then " [y/N] " (builder prune asks on one line).</summary>
    public static bool AskLine(CliContext context, string question)
    {
        context.FlushOut();
        context.Out.Write($"{question} [y/N] ");
        context.FlushOut();
        var line = new System.Text.StringBuilder();
        var one = new byte[1];
        while (context.Stdin.Read(one) == 1 && one[0] != '\n')
            line.Append((char)one[0]);
        var answer = line.ToString().Trim().ToLowerInvariant();
        return answer is "y" or "yes";
    }
}

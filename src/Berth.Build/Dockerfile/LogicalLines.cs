namespace Berth.Build.Dockerfile;

/// <summary>One instruction's text with its continuation lines joined, and the line it starts on.</summary>
internal readonly record struct LogicalLine(string Text, int StartLine);

/// <summary>
/// Splits a Dockerfile into instructions the way docker's parser reads lines: comments and blank lines dropped,
/// a line ending in the escape character (then only spaces or tabs) continued by the next one, where comment lines
/// and blank lines inside the continuation are skipped and the continuation's leading whitespace is kept.
/// A doubled escape character at the end is no continuation (nor is a tripled one: docker's rule looks at one
/// character before the last).
/// </summary>
internal static class LogicalLines
{
    public static List<LogicalLine> Read(string text, ParserDirectives directives)
    {
        var lines = PhysicalLines(text);
        var result = new List<LogicalLine>();
        int index = 0;
        while (index < lines.Count)
        {
            string raw = index == 0 && lines[0].StartsWith('\uFEFF') ? lines[0][1..] : lines[index];
            string first = raw.TrimStart();
            directives.Consider(first);
            index++;
            int startLine = index;
            var (line, continues) = TrimContinuation(WithoutComment(first), directives.EscapeToken);
            if (!continues && line.Length == 0) continue;

            while (continues && index < lines.Count)
            {
                string next = lines[index++];
                if (next.TrimStart().StartsWith('#') || next.Trim().Length == 0) continue;
                var (part, more) = TrimContinuation(next, directives.EscapeToken);
                line += part;
                continues = more;
            }
            result.Add(new LogicalLine(line, startLine));
        }
        return result;
    }

    /// <summary>Lines split at "\n", without their trailing "\r"s, and no empty line after a final "\n".</summary>
    private static List<string> PhysicalLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (text.EndsWith('\n')) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static string WithoutComment(string line) => line.StartsWith('#') ? "" : line;

    private static (string Line, bool Continues) TrimContinuation(string line, char escapeToken)
    {
        int end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        bool continues = end > 0 && line[end - 1] == escapeToken && (end == 1 || line[end - 2] != escapeToken);
        return continues ? (line[..(end - 1)], true) : (line, false);
    }
}

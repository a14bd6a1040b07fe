using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>An instruction line cut into its keyword (lower case), its leading flags and the rest.</summary>
internal sealed record CommandLine(string Keyword, IReadOnlyList<InstructionFlag> Flags, string Rest)
{
    public static CommandLine Split(string line)
    {
        string trimmed = line.Trim();
        int space = trimmed.IndexOfAny(AsciiSpaces);
        if (space < 0) return new CommandLine(trimmed.ToLowerInvariant(), [], "");
        int rest = space;
        while (rest < trimmed.Length && AsciiSpaces.Contains(trimmed[rest])) rest++;
        var (arguments, flags) = ExtractFlags(trimmed[rest..]);
        return new CommandLine(trimmed[..space].ToLowerInvariant(), flags, arguments.Trim());
    }

    /// <summary>What docker's parser splits on between words: ASCII blanks, never a newline.</summary>
    public static readonly char[] AsciiSpaces = ['\t', '\v', '\f', '\r', ' '];

    /// <summary>
    /// Takes the words starting with "--" off the front, with their quotes ('…' or "…") and backslash escapes
    /// resolved; a lone "--" ends them. Always a backslash here, whatever the escape directive says, as in docker.
    /// </summary>
    private static (string Arguments, List<InstructionFlag> Flags) ExtractFlags(string line)
    {
        var flags = new List<InstructionFlag>();
        int pos = 0;
        while (true)
        {
            while (pos < line.Length && char.IsWhiteSpace(line[pos])) pos++;
            if (pos == line.Length) return ("", flags);
            if (line[pos] != '-' || pos + 1 == line.Length || line[pos + 1] != '-') return (line[pos..], flags);

            var word = new StringBuilder();
            bool quotedEmpty = false;
            char quote = '\0';
            for (; pos < line.Length; pos++)
            {
                char ch = line[pos];
                if (quote == '\0' && char.IsWhiteSpace(ch)) break;
                if (quote == '\0' && ch is '\'' or '"')
                {
                    quote = ch;
                    quotedEmpty = true;
                    continue;
                }
                if (quote != '\0' && ch == quote)
                {
                    quote = '\0';
                    continue;
                }
                if (ch == '\\')
                {
                    // A backslash at the very end is dropped (and ends a quote).
                    if (pos + 1 == line.Length) continue;
                    ch = line[++pos];
                }
                word.Append(ch);
            }
            string text = word.ToString();
            if (text == "--") return (pos == line.Length ? "" : line[pos..], flags);
            if (text.Length > 0 || quotedEmpty) flags.Add(ToFlag(text));
        }
    }

    private static InstructionFlag ToFlag(string word)
    {
        string body = word[2..];
        int equals = body.IndexOf('=');
        return equals < 0 ? new InstructionFlag(body, null) : new InstructionFlag(body[..equals], body[(equals + 1)..]);
    }
}

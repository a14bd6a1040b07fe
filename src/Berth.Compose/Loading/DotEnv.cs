using System.Text;

namespace Berth.Compose.Loading;

/// <summary>The .env format Compose reads for the project's variables and for a service's env_file.</summary>
public static class DotEnv
{
    /// <summary>
    /// Parses a .env / env_file text. Lines: KEY=VALUE, `export KEY=VALUE`, KEY= (empty), KEY alone (value from
    /// lookup, null if lookup has none), # comments, blank lines. Values: unquoted (trimmed, an inline ` #` comment
    /// cut), 'single' (literal), "double" (\n \t \" \\ escapes, may span lines). ${VAR}/$VAR in unquoted and
    /// double-quoted values are expanded from earlier keys of the same file first, then lookup. A bad line throws
    /// ComposeException naming the file and line.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Parse(string text, string fileName, Func<string, string?> lookup)
    {
        var entries = new List<KeyValuePair<string, string?>>();
        var seen = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? Resolve(string name) => seen.TryGetValue(name, out var earlier) && earlier is not null ? earlier : lookup(name);

        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index].TrimStart();
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (line.StartsWith("export ", StringComparison.Ordinal) || line.StartsWith("export\t", StringComparison.Ordinal))
                line = line[7..].TrimStart();

            var equals = line.IndexOf('=');
            var key = (equals < 0 ? line : line[..equals]).Trim();
            if (!IsValidKey(key))
                throw BadLine(fileName, lineNumber, "unexpected character in variable name", lines[index]);

            string? value;
            if (equals < 0)
                value = lookup(key);
            else
            {
                var raw = line[(equals + 1)..];
                var trimmed = raw.TrimStart();
                value = trimmed.Length > 0 && trimmed[0] is '"' or '\''
                    ? ReadQuoted(lines, ref index, trimmed, fileName, lineNumber, Resolve)
                    : Substitute(Unquoted(raw), Resolve, fileName, lineNumber);
            }
            seen[key] = value;
            entries.Add(new(key, value));
        }
        return entries;
    }

    private static bool IsValidKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>An unquoted value ends at a `#` that follows whitespace; the rest of the line is a comment.</summary>
    private static string Unquoted(string raw)
    {
        for (var i = 1; i < raw.Length; i++)
            if (raw[i] == '#' && char.IsWhiteSpace(raw[i - 1]))
                return raw[..i].Trim();
        return raw.Trim();
    }

    /// <summary>A quoted value, which may run over several lines; <paramref name="index"/> moves to its last line.</summary>
    private static string ReadQuoted(
        string[] lines, ref int index, string raw, string fileName, int lineNumber, Func<string, string?> resolve)
    {
        var quote = raw[0];
        var content = new StringBuilder();
        var rest = raw[1..];
        while (true)
        {
            var end = ClosingQuote(rest, quote);
            if (end >= 0)
            {
                content.Append(rest[..end]);
                var after = rest[(end + 1)..].Trim();
                if (after.Length > 0 && after[0] != '#')
                    throw BadLine(fileName, lineNumber, "unexpected text after the quoted value", lines[lineNumber - 1]);
                break;
            }
            if (index + 1 >= lines.Length)
                throw new ComposeException($"{fileName}:{lineNumber}: unterminated quoted value");
            content.Append(rest).Append('\n');
            rest = lines[++index];
        }
        return quote == '\''
            ? content.ToString()
            : Substitute(Unescape(content.ToString()), resolve, fileName, lineNumber);
    }

    private static int ClosingQuote(string text, char quote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
                i++;
            else if (text[i] == quote)
                return i;
        }
        return -1;
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\'))
            return text;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var escaped = text[++i];
            result.Append(escaped switch
            {
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                '"' => "\"",
                '\\' => "\\",
                _ => "\\" + escaped,
            });
        }
        return result.ToString();
    }

    private static string Substitute(string value, Func<string, string?> resolve, string fileName, int lineNumber)
    {
        try
        {
            return Interpolation.Expand(value, resolve, $"{fileName}:{lineNumber}");
        }
        catch (ComposeException e)
        {
            throw new ComposeException($"{fileName}:{lineNumber}: {e.Message}");
        }
    }

    private static ComposeException BadLine(string fileName, int lineNumber, string problem, string line) =>
        new($"{fileName}:{lineNumber}: {problem} \"{line.Trim()}\"");
}

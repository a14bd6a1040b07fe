using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Docker's Dockerfile variable expansion (its shell lexer): $VAR, ${VAR}, ${VAR:-word}, ${VAR:+word},
/// ${VAR:?message}, ${VAR?message}; single quotes keep everything literal; double quotes expand variables, and there
/// the escape character only escapes "$", '"' and itself; elsewhere it escapes any character. Quotes are removed.
/// Docker's version rejects ${VAR-word} and ${VAR+word} ("missing ':' in substitution"), and so does this.
/// </summary>
internal sealed class ShellLexer(string source, Func<string, string?> lookup, char escapeToken)
{
    private const int End = -1;
    private int _position;

    /// <summary>The expanded text and its words; throws a <see cref="ShellSyntaxException"/>.</summary>
    public (string Text, List<string> Words) Process() => ProcessUntil(End);

    private int Peek() => _position < source.Length ? source[_position] : End;

    private int Next() => _position < source.Length ? source[_position++] : End;

    private (string Text, List<string> Words) ProcessUntil(int stop)
    {
        var text = new StringBuilder();
        var words = new ShellWordCollector();
        while (Peek() != End)
        {
            int ch = Peek();
            if (stop != End && ch == stop)
            {
                Next();
                return (text.ToString(), words.Finish());
            }
            if (ch is '\'' or '"' or '$')
            {
                string part = ch switch { '\'' => SingleQuoted(), '"' => DoubleQuoted(), _ => Dollar() };
                text.Append(part);
                // A variable's value is split into words; a quoted string never is.
                if (ch == '$') words.AddUnquoted(part);
                else words.AddLiteral(part);
                continue;
            }
            ch = Next();
            if (ch == escapeToken)
            {
                ch = Next();
                // An escape character at the very end is dropped.
                if (ch == End) break;
                words.AddLiteral((char)ch);
            }
            else
            {
                words.AddUnquoted((char)ch);
            }
            text.Append((char)ch);
        }
        if (stop != End) throw new ShellSyntaxException($"unexpected end of statement while looking for matching {(char)stop}");
        return (text.ToString(), words.Finish());
    }

    private string SingleQuoted()
    {
        Next();
        var text = new StringBuilder();
        while (true)
        {
            int ch = Next();
            if (ch == End) throw new ShellSyntaxException("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'') return text.ToString();
            text.Append((char)ch);
        }
    }

    private string DoubleQuoted()
    {
        Next();
        var text = new StringBuilder();
        while (true)
        {
            switch (Peek())
            {
                case End:
                    throw new ShellSyntaxException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    Next();
                    return text.ToString();
                case '$':
                    text.Append(Dollar());
                    break;
                default:
                    int ch = Next();
                    if (ch == escapeToken)
                    {
                        int next = Peek();
                        if (next == End) continue;
                        if (next == '"' || next == '$' || next == escapeToken) ch = Next();
                    }
                    text.Append((char)ch);
                    break;
            }
        }
    }

    private string Dollar()
    {
        Next();
        if (Peek() != '{')
        {
            string plainName = Name();
            return plainName.Length == 0 ? "$" : lookup(plainName) ?? "";
        }
        Next();
        switch (Peek())
        {
            case End:
                throw new ShellSyntaxException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new ShellSyntaxException("syntax error: bad substitution");
        }
        string name = Name();
        switch (Next())
        {
            case '}':
                return lookup(name) ?? "";
            case '?':
                string message = WordUntilBrace();
                return lookup(name) ?? throw Required(name, message, "is not allowed to be unset");
            case ':':
                int modifier = Next();
                string word = WordUntilBrace();
                string? value = lookup(name);
                return modifier switch
                {
                    '-' => string.IsNullOrEmpty(value) ? word : value,
                    '+' => string.IsNullOrEmpty(value) ? "" : word,
                    '?' when value is null => throw Required(name, word, "is not allowed to be unset"),
                    '?' when value.Length == 0 => throw Required(name, word, "is not allowed to be empty"),
                    '?' => value,
                    _ => throw new ShellSyntaxException($"unsupported modifier ({(char)modifier}) in substitution"),
                };
            default:
                throw new ShellSyntaxException("missing ':' in substitution");
        }
    }

    /// <summary>The word of ${VAR:-word} and the like, expanded, up to the closing brace.</summary>
    private string WordUntilBrace()
    {
        try
        {
            return ProcessUntil('}').Text;
        }
        catch (ShellSyntaxException) when (Peek() == End)
        {
            throw new ShellSyntaxException("syntax error: missing '}'");
        }
    }

    /// <summary>A variable name: letters, digits and "_"; or a run of digits; or one of sh's special parameters.</summary>
    private string Name()
    {
        var name = new StringBuilder();
        while (Peek() != End)
        {
            char ch = (char)Peek();
            if (name.Length == 0 && char.IsDigit(ch))
            {
                while (Peek() != End && char.IsDigit((char)Peek())) name.Append((char)Next());
                return name.ToString();
            }
            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
            {
                Next();
                return ch.ToString();
            }
            if (!char.IsLetterOrDigit(ch) && ch != '_') break;
            name.Append((char)Next());
        }
        return name.ToString();
    }

    private static ShellSyntaxException Required(string name, string message, string fallback) =>
        new($"{name}: {(message.Length == 0 ? fallback : message)}");
}

using System.Text;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// Splits a string <c>command:</c> or <c>entrypoint:</c> into argv the way Compose does: words separated by
/// whitespace, '...' taken literally, "..." with backslash escaping only \ " $ and `, a backslash outside quotes
/// escaping the next character. Nothing is expanded: variables were already interpolated by the loader.
/// </summary>
public static class ShellWords
{
    public static IReadOnlyList<string> Split(string text) =>
        TrySplit(text, out var words, out var error) ? words : throw new ComposeException(error!);

    public static bool TrySplit(string text, out IReadOnlyList<string> words, out string? error)
    {
        var result = new List<string>();
        var word = new StringBuilder();
        // A word exists once any of its characters (or an empty pair of quotes) has been seen.
        var inWord = false;
        char quote = '\0';
        words = result;
        error = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                    quote = '\0';
                else
                    word.Append(c);
                continue;
            }
            if (quote == '"')
            {
                if (c == '"')
                    quote = '\0';
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or '"' or '$' or '`')
                    word.Append(text[++i]);
                else
                    word.Append(c);
                continue;
            }
            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 < text.Length)
                        word.Append(text[++i]);
                    inWord = true;
                    break;
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord)
                        result.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (quote != '\0')
        {
            error = $"invalid command line string: unterminated quote in {text}";
            return false;
        }
        if (inWord)
            result.Add(word.ToString());
        return true;
    }
}

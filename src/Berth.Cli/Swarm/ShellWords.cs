using System.Text;

namespace Berth.Cli.Swarm;

/// <summary>Splits a string into words as a POSIX shell would (quotes and backslashes; no expansion), like docker's --entrypoint and --args.</summary>
public static class ShellWords
{
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n')
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
            }
            else if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                if (end < 0)
                    throw new CliException("EOF found when expecting closing quote");
                word.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        i++;
                    word.Append(text[i++]);
                }
                if (i >= text.Length)
                    throw new CliException("EOF found when expecting closing quote");
            }
            else
            {
                word.Append(c);
            }
        }
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}

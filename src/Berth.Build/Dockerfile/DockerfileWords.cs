using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The parser's word split for ENV, LABEL and ARG: words end at unquoted whitespace, and quotes and escapes are kept
/// in the words (variable expansion removes them later). An escape character keeps the next character in the word,
/// quote or space alike; inside single quotes it escapes nothing.
/// </summary>
internal static class DockerfileWords
{
    public static List<string> Split(string text, char escapeToken)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false, hadQuotes = false;
        char quote = '\0';
        for (int pos = 0; pos < text.Length; pos++)
        {
            char ch = text[pos];
            if (quote == '\0')
            {
                if (char.IsWhiteSpace(ch))
                {
                    if (inWord) Flush();
                    continue;
                }
                inWord = true;
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    hadQuotes = true;
                }
                else if (ch == escapeToken)
                {
                    // An escape character as the very last character is dropped.
                    if (pos + 1 == text.Length) continue;
                    word.Append(ch);
                    ch = text[++pos];
                }
                word.Append(ch);
                continue;
            }
            if (ch == quote)
            {
                quote = '\0';
            }
            else if (ch == escapeToken && quote != '\'')
            {
                if (pos + 1 == text.Length) continue;
                word.Append(ch);
                ch = text[++pos];
            }
            word.Append(ch);
        }
        if (inWord) Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0 || hadQuotes) words.Add(word.ToString());
            word.Clear();
            inWord = false;
            hadQuotes = false;
        }
    }
}

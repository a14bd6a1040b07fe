using Berth.GoText;

namespace Berth.Build.Dockerfile;

/// <summary>
/// ENV's and LABEL's arguments as docker's parser splits them, still unexpanded: "k=v k2=v2" when the first word has
/// an "=", otherwise the legacy "KEY value with spaces" (the first blank ends the key, the rest is the value).
/// </summary>
internal static class NameValueSyntax
{
    public static List<KeyValuePair<string, string>> Split(string arguments, string keyword, char escapeToken)
    {
        var words = DockerfileWords.Split(arguments, escapeToken);
        if (words.Count == 0) return [];
        if (!words[0].Contains('='))
        {
            int space = arguments.IndexOfAny(CommandLine.AsciiSpaces);
            if (space < 0) throw new DockerfileSyntaxException($"{keyword} must have two arguments");
            int value = space;
            while (value < arguments.Length && CommandLine.AsciiSpaces.Contains(arguments[value])) value++;
            return [new(arguments[..space], arguments[value..])];
        }
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string word in words)
        {
            int equals = word.IndexOf('=');
            if (equals < 0)
            {
                throw new DockerfileSyntaxException(
                    $"Syntax error - can't find = in {GoQuote.Quote(word)}. Must be of the form: name=value");
            }
            pairs.Add(new(word[..equals], word[(equals + 1)..]));
        }
        return pairs;
    }
}

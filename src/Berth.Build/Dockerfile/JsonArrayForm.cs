using System.Text;
using System.Text.Json;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The exec form: arguments that are a JSON array of strings. Like docker, only the first JSON value is read (what
/// follows the closing "]" is ignored), text that is not valid JSON is simply the shell form, and a valid array with
/// anything but strings in it is an error.
/// </summary>
internal static class JsonArrayForm
{
    public static List<string>? TryParse(string text)
    {
        string trimmed = text.TrimStart();
        if (!trimmed.StartsWith('[')) return null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(trimmed), isFinalBlock: true, state: default);
        var strings = new List<string>();
        bool onlyStrings = true;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    strings.Add(reader.GetString()!);
                    continue;
                }
                onlyStrings = false;
                reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndArray) return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
        return onlyStrings
            ? strings
            : throw new DockerfileSyntaxException("when using JSON array syntax, arrays must be comprised of strings only");
    }
}

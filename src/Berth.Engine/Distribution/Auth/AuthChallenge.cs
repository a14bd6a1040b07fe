using System.Text;

namespace Berth.Engine.Distribution.Auth;

/// <summary>
/// One challenge of a WWW-Authenticate header (RFC 7235): a scheme (<c>Bearer</c>, <c>Basic</c>) and its parameters
/// (<c>realm</c>, <c>service</c>, <c>scope</c>, <c>error</c>), parameter names lower-cased.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    public string? Scope => Parameters.GetValueOrDefault("scope");
    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>Parses every challenge of every given header value; unparseable parts are skipped, never thrown on.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        var challenges = new List<AuthChallenge>();
        foreach (string value in headerValues) ParseInto(value, challenges);
        return challenges;
    }

    public static IReadOnlyList<AuthChallenge> Parse(string headerValue) => Parse([headerValue]);

    private static void ParseInto(string text, List<AuthChallenge> challenges)
    {
        int i = 0;
        Dictionary<string, string>? parameters = null;
        string? scheme = null;
        while (true)
        {
            SkipSeparators(text, ref i);
            if (i >= text.Length) break;
            string token = ReadToken(text, ref i);
            if (token.Length == 0)
            {
                i++; // a stray character: skip it rather than loop
                continue;
            }
            SkipSpaces(text, ref i);
            if (i < text.Length && text[i] == '=' && scheme is not null)
            {
                if (i + 1 < text.Length && text[i + 1] == '=')
                {
                    // A token68 with base64 padding ("Basic dXNlcg=="): it carries no parameters.
                    while (i < text.Length && text[i] == '=') i++;
                    continue;
                }
                i++;
                SkipSpaces(text, ref i);
                string value = i < text.Length && text[i] == '"' ? ReadQuoted(text, ref i) : ReadToken(text, ref i);
                parameters![token.ToLowerInvariant()] = value;
                continue;
            }
            if (scheme is not null) challenges.Add(new AuthChallenge(scheme, parameters!));
            scheme = token;
            parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        }
        if (scheme is not null) challenges.Add(new AuthChallenge(scheme, parameters!));
    }

    private static void SkipSeparators(string text, ref int i)
    {
        while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
    }

    private static string ReadToken(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && IsTokenChar(text[i])) i++;
        return text[start..i];
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~/:".Contains(c);

    private static string ReadQuoted(string text, ref int i)
    {
        var value = new StringBuilder();
        i++; // opening quote
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length) i++;
            value.Append(text[i]);
            i++;
        }
        if (i < text.Length) i++; // closing quote
        return value.ToString();
    }
}

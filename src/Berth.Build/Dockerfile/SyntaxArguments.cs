namespace Berth.Build.Dockerfile;

/// <summary>
/// An instruction's arguments split the way docker's parser splits them for its keyword. Only the rule checks
/// (argument counts) look at the split; the executor works from the instruction's raw arguments.
/// </summary>
internal sealed record SyntaxArguments(IReadOnlyList<string> Values, bool IsJson)
{
    private static readonly SyntaxArguments None = new([], false);

    public static SyntaxArguments For(string keyword, string rest, char escapeToken) => keyword switch
    {
        "add" or "copy" or "volume" => JsonOrWords(rest),
        "cmd" or "entrypoint" or "run" or "shell" => JsonOrWhole(rest),
        "env" or "label" => NameValues(rest, keyword.ToUpperInvariant(), escapeToken),
        "arg" => new(DockerfileWords.Split(rest, escapeToken), false),
        "expose" or "from" => new(Blank(rest), false),
        "healthcheck" => Healthcheck(rest),
        "maintainer" or "stopsignal" or "user" or "workdir" => rest.Length == 0 ? None : new([rest], false),
        "onbuild" => Trigger(rest, escapeToken),
        _ => None,
    };

    private static SyntaxArguments JsonOrWords(string rest) =>
        JsonArrayForm.TryParse(rest) is { } json ? new(json, true) : new(Blank(rest), false);

    private static SyntaxArguments JsonOrWhole(string rest)
    {
        if (rest.Length == 0) return None;
        return JsonArrayForm.TryParse(rest) is { } json ? new(json, true) : new([rest], false);
    }

    private static SyntaxArguments NameValues(string rest, string keyword, char escapeToken) =>
        new(NameValueSyntax.Split(rest, keyword, escapeToken).SelectMany(p => new[] { p.Key, p.Value }).ToList(), false);

    /// <summary>The type (CMD or NONE), then the command in either form.</summary>
    private static SyntaxArguments Healthcheck(string rest)
    {
        int end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
        if (end == 0) return None;
        int command = end;
        while (command < rest.Length && char.IsWhiteSpace(rest[command])) command++;
        var parsed = JsonOrWhole(rest[command..]);
        return new([rest[..end], .. parsed.Values], parsed.IsJson);
    }

    /// <summary>The trigger is parsed right away, so its own syntax errors surface; its keyword is all that is kept.</summary>
    private static SyntaxArguments Trigger(string rest, char escapeToken)
    {
        if (rest.Length == 0) return None;
        var trigger = CommandLine.Split(rest);
        For(trigger.Keyword, trigger.Rest, escapeToken);
        return new([trigger.Keyword], false);
    }

    private static List<string> Blank(string rest) =>
        rest.Length == 0 ? [] : [.. rest.Split(CommandLine.AsciiSpaces, StringSplitOptions.RemoveEmptyEntries)];
}

using System.Globalization;
using Berth.GoText;

namespace Berth.Build.Dockerfile;

/// <summary>HEALTHCHECK's checks that docker makes before building: the type, the command, the flags' values.</summary>
internal static class HealthcheckRules
{
    private static readonly IReadOnlyDictionary<string, bool> Flags = FlagRules.Of("interval", "timeout", "start-period", "retries");

    /// <summary>The smallest interval, timeout or start period docker accepts.</summary>
    private const long MinimumNanoseconds = 1_000_000;

    public static void Check(IReadOnlyList<InstructionFlag> flags, SyntaxArguments arguments)
    {
        var values = arguments.Values;
        if (values.Count == 0) throw new InstructionRuleException("HEALTHCHECK requires at least one argument");
        string type = values[0].ToUpperInvariant();
        if (type == "NONE")
        {
            // Docker ignores HEALTHCHECK NONE's flags altogether.
            if (values.Count != 1) throw new InstructionRuleException("HEALTHCHECK NONE takes no arguments");
            return;
        }
        FlagRules.Check(flags, Flags);
        if (type != "CMD") throw new InstructionRuleException($"Unknown type {GoQuote.Quote(type)} in HEALTHCHECK (try CMD)");
        if (values.Count == 1) throw new InstructionRuleException("Missing command after HEALTHCHECK CMD");

        foreach (string name in (string[])["interval", "timeout", "start-period"])
        {
            string value = Value(flags, name);
            if (value.Length > 0 && Nanoseconds(value) < MinimumNanoseconds)
                throw new InstructionRuleException($"Interval {GoQuote.Quote(name)} cannot be less than 1ms");
        }
        string retries = Value(flags, "retries");
        if (retries.Length > 0)
        {
            int count = ParseInt32(retries);
            if (count < 1) throw new InstructionRuleException($"--retries must be at least 1 (not {count})");
        }
    }

    /// <summary>A duration flag's value as Go's time.ParseDuration reads it, failing with Go's message as docker does.</summary>
    public static long Nanoseconds(string text) =>
        GoDuration.TryParseNanoseconds(text, out long nanoseconds, out string error) ? nanoseconds : throw new InstructionRuleException(error);

    private static string Value(IReadOnlyList<InstructionFlag> flags, string name) =>
        flags.LastOrDefault(f => f.Name == name)?.Value ?? "";

    /// <summary>Go's strconv.ParseInt(text, 10, 32), with its error messages.</summary>
    private static int ParseInt32(string text)
    {
        string digits = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            throw new InstructionRuleException($"strconv.ParseInt: parsing {GoQuote.Quote(text)}: invalid syntax");
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            throw new InstructionRuleException($"strconv.ParseInt: parsing {GoQuote.Quote(text)}: value out of range");
        return value;
    }
}

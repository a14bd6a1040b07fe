using System.Text.RegularExpressions;
using Berth.GoText;

namespace Berth.Build.Dockerfile;

/// <summary>
/// The per-instruction checks docker's classic builder makes on the whole Dockerfile before it runs any step:
/// known keyword, argument counts, allowed flags. The order of the checks within an instruction is docker's, since
/// it decides which message an instruction with several mistakes gets.
/// </summary>
internal static partial class InstructionRules
{
    private static readonly IReadOnlyDictionary<string, bool> RunFlags = new Dictionary<string, bool> { ["mount"] = true };

    public static void Check(string keyword, IReadOnlyList<InstructionFlag> flags, SyntaxArguments arguments)
    {
        string name = keyword.ToUpperInvariant();
        var values = arguments.Values;
        switch (keyword)
        {
            case "env" or "label":
                FlagRules.Check(flags, FlagRules.None);
                if (values.Count == 0) throw AtLeastOne(name);
                for (int i = 0; i < values.Count; i += 2)
                {
                    if (values[i].Length == 0) throw BlankNames(name);
                }
                break;
            case "maintainer" or "workdir" or "user":
                if (values.Count != 1) throw ExactlyOne(name);
                FlagRules.Check(flags, FlagRules.None);
                break;
            case "stopsignal":
                // Docker never looks at STOPSIGNAL's flags.
                if (values.Count != 1) throw ExactlyOne(name);
                break;
            case "add" or "copy":
                if (values.Count < 2)
                {
                    throw new InstructionRuleException(
                        $"{name} requires at least two arguments, but only one was provided. Destination could not be determined");
                }
                FlagRules.Check(flags, keyword == "copy" ? FlagRules.Of("from", "chown", "chmod") : FlagRules.Of("chown", "chmod"));
                break;
            case "from":
                CheckStageName(values);
                FlagRules.Check(flags, FlagRules.Of("platform"));
                break;
            case "onbuild":
                if (values.Count == 0) throw AtLeastOne(name);
                FlagRules.Check(flags, FlagRules.None);
                CheckTrigger(values[0].ToUpperInvariant());
                break;
            case "run":
                FlagRules.Check(flags, RunFlags);
                break;
            case "cmd" or "entrypoint":
                FlagRules.Check(flags, FlagRules.None);
                break;
            case "expose":
                if (values.Count == 0) throw AtLeastOne(name);
                FlagRules.Check(flags, FlagRules.None);
                break;
            case "volume":
                if (values.Count == 0) throw AtLeastOne(name);
                FlagRules.Check(flags, FlagRules.None);
                if (values.Any(v => v.Trim().Length == 0)) throw new InstructionRuleException("VOLUME specified can not be an empty string");
                break;
            case "arg":
                // Docker never looks at ARG's flags.
                if (values.Count == 0) throw AtLeastOne(name);
                if (values.Any(v => v.StartsWith('='))) throw BlankNames(name);
                break;
            case "shell":
                FlagRules.Check(flags, FlagRules.None);
                if (!arguments.IsJson) throw new InstructionRuleException("SHELL requires the arguments to be in JSON form");
                if (values.Count == 0) throw AtLeastOne(name);
                break;
            case "healthcheck":
                HealthcheckRules.Check(flags, arguments);
                break;
            default:
                throw new InstructionRuleException($"unknown instruction: {name}");
        }
    }

    private static void CheckStageName(IReadOnlyList<string> values)
    {
        if (values.Count == 3 && values[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            if (!StageName().IsMatch(values[2].ToLowerInvariant()))
            {
                throw new InstructionRuleException(
                    $"invalid name for build stage: {GoQuote.Quote(values[2])}, name can't start with a number or contain symbols");
            }
        }
        else if (values.Count != 1)
        {
            throw new InstructionRuleException("FROM requires either one or three arguments");
        }
    }

    private static void CheckTrigger(string trigger)
    {
        if (trigger == "ONBUILD") throw new InstructionRuleException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (trigger is "MAINTAINER" or "FROM") throw new InstructionRuleException($"{trigger} isn't allowed as an ONBUILD trigger");
    }

    private static InstructionRuleException AtLeastOne(string name) => new($"{name} requires at least one argument");

    private static InstructionRuleException ExactlyOne(string name) => new($"{name} requires exactly one argument");

    private static InstructionRuleException BlankNames(string name) => new($"{name} names can not be blank");

    [GeneratedRegex(@"^[a-z][a-z0-9\-_.]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex StageName();
}

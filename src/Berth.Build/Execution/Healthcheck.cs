using Berth.Api;
using Berth.Build.Dockerfile;
using Berth.Oci.Errors;
using Berth.Oci.Images;

namespace Berth.Build.Execution;

/// <summary>HEALTHCHECK [--interval= --timeout= --start-period= --start-interval= --retries=] CMD command | NONE.</summary>
internal static class Healthcheck
{
    public static ImageHealthcheck Parse(Instruction instruction)
    {
        string args = instruction.Arguments.Trim();
        string[] words = args.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        string kind = words.Length == 0 ? "" : words[0].ToUpperInvariant();
        if (kind == "NONE")
        {
            if (words.Length > 1 || instruction.Flags.Count > 0) throw BerthException.Invalid("HEALTHCHECK NONE takes no arguments");
            return new ImageHealthcheck { Test = ["NONE"] };
        }
        if (kind != "CMD") throw BerthException.Invalid($"Unknown type \"{kind}\" in HEALTHCHECK (try CMD)");
        string command = words.Length > 1 ? words[1].Trim() : "";
        if (command.Length == 0) throw BerthException.Invalid("Missing command after HEALTHCHECK CMD");

        var check = new ImageHealthcheck
        {
            Test = command.StartsWith('[') && TryJsonArray(command) is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", command],
        };
        foreach (var flag in instruction.Flags)
        {
            string value = flag.Value ?? "";
            switch (flag.Name)
            {
                case "interval": check.Interval = Duration(flag.Name, value); break;
                case "timeout": check.Timeout = Duration(flag.Name, value); break;
                case "start-period": check.StartPeriod = Duration(flag.Name, value); break;
                case "start-interval": check.StartInterval = Duration(flag.Name, value); break;
                case "retries":
                    if (!int.TryParse(value, out int retries)) throw BerthException.Invalid($"invalid value for --retries: {value}");
                    if (retries < 1) throw BerthException.Invalid($"--retries cannot be 0 or negative ({retries})");
                    check.Retries = retries;
                    break;
                default: throw BerthException.Invalid($"Unknown flag: {flag.Name}");
            }
        }
        return check;
    }

    private static long Duration(string flag, string text)
    {
        if (text.Length == 0) return 0;
        if (!Durations.TryParse(text, out var duration)) throw BerthException.Invalid($"time: invalid duration \"{text}\"");
        if (duration != TimeSpan.Zero && duration < TimeSpan.FromMilliseconds(1))
            throw BerthException.Invalid($"Interval \"{flag}\" cannot be less than 1ms");
        return duration.Ticks * 100;
    }

    private static List<string>? TryJsonArray(string text)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(text, ApiJson.Context.ListString);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

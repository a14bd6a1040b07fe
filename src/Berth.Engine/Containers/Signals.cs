using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>Signal names and numbers as Docker accepts them: "SIGTERM", "TERM", "15", "SIGRTMIN+3".</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ABRT"] = 6, ["ALRM"] = 14, ["BUS"] = 7, ["CHLD"] = 17, ["CLD"] = 17, ["CONT"] = 18, ["FPE"] = 8, ["HUP"] = 1,
        ["ILL"] = 4, ["INT"] = 2, ["IO"] = 29, ["IOT"] = 6, ["KILL"] = 9, ["PIPE"] = 13, ["POLL"] = 29, ["PROF"] = 27,
        ["PWR"] = 30, ["QUIT"] = 3, ["SEGV"] = 11, ["STKFLT"] = 16, ["STOP"] = 19, ["SYS"] = 31, ["TERM"] = 15,
        ["TRAP"] = 5, ["TSTP"] = 20, ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["USR1"] = 10, ["USR2"] = 12,
        ["VTALRM"] = 26, ["WINCH"] = 28, ["XCPU"] = 24, ["XFSZ"] = 25, ["RTMIN"] = 34, ["RTMAX"] = 64,
    };

    public static int Parse(string signal)
    {
        if (int.TryParse(signal, out var number))
        {
            if (number is < 1 or > 64) throw BerthException.Invalid($"Invalid signal: {signal}");
            return number;
        }
        string name = signal.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? signal[3..] : signal;
        if (ByName.TryGetValue(name, out var value)) return value;
        int plus = name.IndexOf('+'), minus = name.IndexOf('-');
        if (name.StartsWith("RTMIN", StringComparison.OrdinalIgnoreCase) && plus == 5 && int.TryParse(name[6..], out var up) && 34 + up <= 64) return 34 + up;
        if (name.StartsWith("RTMAX", StringComparison.OrdinalIgnoreCase) && minus == 5 && int.TryParse(name[6..], out var down) && 64 - down >= 34) return 64 - down;
        throw BerthException.Invalid($"Invalid signal: {signal}");
    }
}

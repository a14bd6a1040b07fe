using System.Globalization;
using Berth.Build.Dockerfile;
using Berth.Oci.Images;

namespace Berth.Build.Execution;

/// <summary>
/// HEALTHCHECK as the image records it: NONE, or CMD in the exec or shell form with the flags' durations and retries.
/// The instruction was checked when the Dockerfile was parsed (<see cref="HealthcheckRules"/>), so this only converts.
/// </summary>
internal static class Healthcheck
{
    public static ImageHealthcheck Parse(Instruction instruction)
    {
        string[] words = instruction.Arguments.Trim().Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        if (words[0].Equals("NONE", StringComparison.OrdinalIgnoreCase)) return new ImageHealthcheck { Test = ["NONE"] };
        string command = words[1].Trim();
        var check = new ImageHealthcheck
        {
            Test = JsonArrayForm.TryParse(command) is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", command],
        };
        foreach (var flag in instruction.Flags)
        {
            string value = flag.Value ?? "";
            long Nanoseconds() => value.Length == 0 ? 0 : HealthcheckRules.Nanoseconds(value);
            switch (flag.Name)
            {
                case "interval": check.Interval = Nanoseconds(); break;
                case "timeout": check.Timeout = Nanoseconds(); break;
                case "start-period": check.StartPeriod = Nanoseconds(); break;
                case "retries": check.Retries = value.Length == 0 ? 0 : int.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
            }
        }
        return check;
    }
}

using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>The devices cgroup rules of a container.</summary>
public static class DeviceCgroupRules
{
    /// <summary>
    /// Docker's defaults: deny everything, then allow the nodes runc creates in /dev whose access matters
    /// (runc adds its own rules for /dev/full, /dev/ptmx and the pty slaves), and deny /dev/fuse explicitly.
    /// </summary>
    public static IReadOnlyList<LinuxDeviceCgroup> DockerDefaults { get; } =
    [
        new() { Allow = false, Access = "rwm" },
        Char(true, 1, 5),   // /dev/zero
        Char(true, 1, 3),   // /dev/null
        Char(true, 1, 9),   // /dev/urandom
        Char(true, 1, 8),   // /dev/random
        Char(true, 5, 0),   // /dev/tty
        Char(true, 5, 1),   // /dev/console
        Char(false, 10, 229), // /dev/fuse
    ];

    public static LinuxDeviceCgroup AllowAll { get; } = new() { Allow = true, Access = "rwm" };

    /// <summary>--device-cgroup-rule "c 1:3 mr", "a *:* rwm", "b 8:* rw".</summary>
    public static LinuxDeviceCgroup Parse(string rule)
    {
        string[] parts = rule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] numbers = parts.Length == 3 ? parts[1].Split(':') : [];
        if (parts.Length != 3 || parts[0] is not ("a" or "b" or "c") || numbers.Length != 2
            || !TryNumber(numbers[0], out long? major) || !TryNumber(numbers[1], out long? minor)
            || parts[2].Length == 0 || parts[2].Any(c => c is not ('r' or 'w' or 'm')))
            throw BerthException.Invalid($"invalid device cgroup format '{rule}'");
        return new LinuxDeviceCgroup { Allow = true, Type = parts[0], Major = major, Minor = minor, Access = parts[2] };
    }

    private static bool TryNumber(string text, out long? number)
    {
        number = null;
        if (text == "*") return true;
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, null, out long value)) return false;
        number = value;
        return true;
    }

    private static LinuxDeviceCgroup Char(bool allow, long major, long minor) =>
        new() { Allow = allow, Type = "c", Major = major, Minor = minor, Access = "rwm" };
}

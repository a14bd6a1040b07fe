using System.Globalization;

namespace Berth.Engine.Stats;

/// <summary>Reading cgroup and /proc counter files; a missing file or controller reads as empty, as it does in Docker.</summary>
internal static class CgroupFiles
{
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>A single-number file; "max" (no limit) reads as <see cref="ulong.MaxValue"/>, anything unreadable as 0.</summary>
    public static ulong ReadNumber(string path) => ParseNumber(Read(path).Trim());

    public static ulong ParseNumber(string text) =>
        text == "max" ? ulong.MaxValue
        : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value
        : 0;

    /// <summary>"key value" lines (memory.stat, cpu.stat, cpuacct.stat, memory.events).</summary>
    public static Dictionary<string, ulong> ReadKeyed(string path) => ParseKeyed(Read(path));

    public static Dictionary<string, ulong> ParseKeyed(string text)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2) values[fields[0]] = ParseNumber(fields[1]);
        }
        return values;
    }

    public static ulong Get(this Dictionary<string, ulong> values, string key) => values.TryGetValue(key, out ulong value) ? value : 0;

    /// <summary>"MAJ:MIN" → numbers; false when the text is not a device.</summary>
    public static bool TryParseDevice(string text, out ulong major, out ulong minor)
    {
        major = minor = 0;
        int colon = text.IndexOf(':');
        return colon > 0
               && ulong.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out major)
               && ulong.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }
}

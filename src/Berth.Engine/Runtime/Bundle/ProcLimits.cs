namespace Berth.Engine.Runtime.Bundle;

/// <summary>Reads /proc/PID/limits, whose row names are the same on every architecture (unlike RLIMIT_* numbers).</summary>
public static class ProcLimits
{
    private static readonly Dictionary<string, string> RowToType = new(StringComparer.Ordinal)
    {
        ["Max cpu time"] = "RLIMIT_CPU",
        ["Max file size"] = "RLIMIT_FSIZE",
        ["Max data size"] = "RLIMIT_DATA",
        ["Max stack size"] = "RLIMIT_STACK",
        ["Max core file size"] = "RLIMIT_CORE",
        ["Max resident set"] = "RLIMIT_RSS",
        ["Max processes"] = "RLIMIT_NPROC",
        ["Max open files"] = "RLIMIT_NOFILE",
        ["Max locked memory"] = "RLIMIT_MEMLOCK",
        ["Max address space"] = "RLIMIT_AS",
        ["Max file locks"] = "RLIMIT_LOCKS",
        ["Max pending signals"] = "RLIMIT_SIGPENDING",
        ["Max msgqueue size"] = "RLIMIT_MSGQUEUE",
        ["Max nice priority"] = "RLIMIT_NICE",
        ["Max realtime priority"] = "RLIMIT_RTPRIO",
        ["Max realtime timeout"] = "RLIMIT_RTTIME",
    };

    public static Dictionary<string, ulong> ReadHardLimits(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException) { return []; }
        return ParseHardLimits(text);
    }

    /// <summary>Columns are fixed-width: a 26-character name, then soft, hard and units separated by spaces.</summary>
    public static Dictionary<string, ulong> ParseHardLimits(string text)
    {
        var limits = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length <= 26) continue;
            if (!RowToType.TryGetValue(line[..26].TrimEnd(), out string? type)) continue;
            string[] columns = line[26..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length < 2) continue;
            if (columns[1] == "unlimited") limits[type] = ulong.MaxValue;
            else if (ulong.TryParse(columns[1], out ulong hard)) limits[type] = hard;
        }
        return limits;
    }
}

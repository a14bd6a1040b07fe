using System.Globalization;

namespace Berth.Engine.Stats;

/// <summary>Interface counters of a network namespace from /proc/&lt;pid&gt;/net/dev, loopback left out as Docker does.</summary>
public static class NetDev
{
    public static Dictionary<string, NetworkSample> Parse(string text)
    {
        var interfaces = new Dictionary<string, NetworkSample>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue; // the two header lines
            string name = line[..colon].Trim();
            if (name == "lo") continue;
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(v => ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) ? n : 0).ToArray();
            if (f.Length < 12) continue;
            // Receive: bytes packets errs drop fifo frame compressed multicast; Transmit: bytes packets errs drop …
            interfaces[name] = new NetworkSample
            {
                RxBytes = f[0], RxPackets = f[1], RxErrors = f[2], RxDropped = f[3],
                TxBytes = f[8], TxPackets = f[9], TxErrors = f[10], TxDropped = f[11],
            };
        }
        return interfaces;
    }

    public static Dictionary<string, NetworkSample> Read(int pid) => Parse(CgroupFiles.Read($"/proc/{pid}/net/dev"));
}

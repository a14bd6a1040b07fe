using System.Globalization;
using System.Runtime.InteropServices;

namespace Berth.Daemon.Hosting;

/// <summary>
/// Drops the page-table entries of read-only file mappings (berthd's code and read-only data, libc's, OpenSSL's) once
/// start-up is over, as the shim does with its own. Those pages stay in the page cache, shared with other processes:
/// the daemon only stops counting what start-up touched (host building, Kestrel's configuration, the type data
/// NativeAOT expands once) in its RSS, and what serving requests needs comes back through minor faults. Only mappings
/// that were never written qualify (not writable, and no private copy of any page), so no data can be lost.
/// </summary>
internal static partial class StartupPages
{
    private const int MADV_DONTNEED = 4;

    public static void Release()
    {
        (ulong Start, ulong End)? candidate = null;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (IsMappingHeader(line))
            {
                candidate = null;
                // 55ebcb5c9000-55ebcc03c000 r-xp 0002f000 fe:00 11690666     /usr/local/bin/berthd
                string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 6 || fields[1] is not ("r-xp" or "r--p") || !fields[5].TrimStart().StartsWith('/')) continue;
                int dash = fields[0].IndexOf('-');
                candidate = (Hex(fields[0][..dash]), Hex(fields[0][(dash + 1)..]));
            }
            else if (candidate is { } mapping && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                // A page with a private copy (relocated read-only data) would be lost: leave such a mapping alone.
                if (line.AsSpan("Anonymous:".Length).Trim().SequenceEqual("0 kB") && mapping.End > mapping.Start)
                    _ = Madvise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), MADV_DONTNEED);
                candidate = null;
            }
        }
    }

    // Mapping lines start with the address (lower-case hex); the lines about a mapping with a capitalised name.
    private static bool IsMappingHeader(string line) => line.Length > 0 && (char.IsAsciiDigit(line[0]) || line[0] is >= 'a' and <= 'f');

    private static ulong Hex(string digits) => ulong.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}

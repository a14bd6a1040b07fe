namespace Berth.Registry.Http;

/// <summary>A single byte range of an HTTP <c>Range</c> header, resolved against a known length.</summary>
public readonly record struct ByteRange(long Start, long Length)
{
    public long End => Start + Length - 1;

    /// <summary>
    /// Resolves <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c>. Returns false (answer 416) when the header is
    /// malformed or not satisfiable; <paramref name="range"/> is null (serve it all) for several ranges, which a
    /// server may ignore.
    /// </summary>
    public static bool TryResolve(string header, long size, out ByteRange? range)
    {
        range = null;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return false;
        var spec = header.AsSpan(6).Trim();
        if (spec.Contains(',')) return true;
        int dash = spec.IndexOf('-');
        if (dash < 0) return false;
        var first = spec[..dash].Trim();
        var second = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!long.TryParse(second, System.Globalization.NumberStyles.None, null, out long suffix) || suffix == 0 || size == 0) return false;
            long length = Math.Min(suffix, size);
            range = new ByteRange(size - length, length);
            return true;
        }
        if (!long.TryParse(first, System.Globalization.NumberStyles.None, null, out long start) || start >= size) return false;
        long end = size - 1;
        if (!second.IsEmpty)
        {
            if (!long.TryParse(second, System.Globalization.NumberStyles.None, null, out end) || end < start) return false;
            end = Math.Min(end, size - 1);
        }
        range = new ByteRange(start, end - start + 1);
        return true;
    }
}

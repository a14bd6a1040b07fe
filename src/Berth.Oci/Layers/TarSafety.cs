using Berth.Oci.Errors;

namespace Berth.Oci.Layers;

/// <summary>
/// Turns tar entry names into paths relative to the extraction root. Absolute names are taken as relative to the
/// root (as Docker does); a <c>..</c> that would climb above the root is refused rather than clamped, so a crafted
/// archive fails loudly instead of writing somewhere unexpected.
/// </summary>
public static class TarSafety
{
    /// <summary>
    /// The cleaned relative path of <paramref name="name"/> ("" for the root itself), with "/" separators and no
    /// ".", ".." or empty components. <paramref name="root"/> names the root in errors, e.g. "the layer root".
    /// </summary>
    public static string CleanName(string name, string root)
    {
        if (name.Contains('\0')) throw BerthException.Invalid($"invalid tar header: {Quote(name)} contains a NUL byte");
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (parts.Count == 0) throw BerthException.Invalid($"invalid tar header: {Quote(name)} is outside of {root}");
                    parts.RemoveAt(parts.Count - 1);
                    continue;
                default:
                    parts.Add(part);
                    continue;
            }
        }
        return string.Join('/', parts);
    }

    /// <summary>The parent of a cleaned relative path ("" for top-level names).</summary>
    public static string ParentOf(string relative)
    {
        int slash = relative.LastIndexOf('/');
        return slash < 0 ? "" : relative[..slash];
    }

    /// <summary>The last component of a cleaned relative path.</summary>
    public static string BaseName(string relative) => relative[(relative.LastIndexOf('/') + 1)..];

    /// <summary>Quotes like Go's %q, which Docker uses for names in its errors.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

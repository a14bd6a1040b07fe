using System.Text;

namespace Berth.Api.BuildContext;

/// <summary>Go's path/filepath Clean and Dir for slash-separated paths, which .dockerignore patterns and paths go through.</summary>
internal static class GoPath
{
    public static string Clean(string path)
    {
        if (path.Length == 0) return ".";
        bool rooted = path[0] == '/';
        var output = new StringBuilder(path.Length);
        // Elements up to this length are "/" or leading ".." that a later ".." must not remove.
        int fixedPrefix = 0;
        if (rooted)
        {
            output.Append('/');
            fixedPrefix = 1;
        }
        int read = rooted ? 1 : 0;
        while (read < path.Length)
        {
            if (path[read] == '/')
            {
                read++;
            }
            else if (IsElement(path, read, "."))
            {
                read++;
            }
            else if (IsElement(path, read, ".."))
            {
                read += 2;
                if (output.Length > fixedPrefix)
                {
                    int cut = output.Length - 1;
                    while (cut > fixedPrefix && output[cut] != '/') cut--;
                    output.Length = cut;
                }
                else if (!rooted)
                {
                    if (output.Length > 0) output.Append('/');
                    output.Append("..");
                    fixedPrefix = output.Length;
                }
            }
            else
            {
                if (output.Length > (rooted ? 1 : 0)) output.Append('/');
                while (read < path.Length && path[read] != '/') output.Append(path[read++]);
            }
        }
        return output.Length == 0 ? "." : output.ToString();
    }

    /// <summary>Everything but the last element, cleaned; "." when there is no directory part.</summary>
    public static string Dir(string path)
    {
        int slash = path.LastIndexOf('/');
        return Clean(slash < 0 ? "" : path[..(slash + 1)]);
    }

    private static bool IsElement(string path, int start, string element) =>
        string.CompareOrdinal(path, start, element, 0, element.Length) == 0
        && (start + element.Length == path.Length || path[start + element.Length] == '/');
}

using System.Text;

namespace Berth.Compose.Loading;

/// <summary>Compose's project-name rules: -p must already be valid; names from elsewhere are normalized.</summary>
internal static class ProjectName
{
    /// <summary>An explicit -p name, which Compose checks rather than fixes.</summary>
    public static string Explicit(string name) => IsValid(name) ? name : throw Invalid(name);

    /// <summary>
    /// A name from COMPOSE_PROJECT_NAME, the file's <c>name:</c> or the directory: lowercased, characters other than
    /// [a-z0-9_-] dropped, and anything before the first letter or digit dropped.
    /// </summary>
    public static string Normalize(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            var allowed = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-';
            var leading = result.Length == 0 && !char.IsAsciiLetterOrDigit(c);
            if (allowed && !leading)
                result.Append(c);
        }
        return result.Length > 0 ? result.ToString() : throw Invalid(name);
    }

    private static bool IsValid(string name) =>
        name.Length > 0
        && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');

    private static ComposeException Invalid(string name) => new(
        $"invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
}

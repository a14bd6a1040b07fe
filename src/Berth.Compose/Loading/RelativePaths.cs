using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>
/// Makes the relative host paths of definitions that came from another directory absolute, so that they keep
/// pointing where their own file meant once they sit in the main project (whose reader resolves what is still
/// relative against the main project directory). Absolute paths, "~" paths and URLs are left as written, so
/// resolving twice changes nothing.
/// </summary>
internal static class RelativePaths
{
    /// <summary>Every service, and the <c>file</c> of every secret and config, of an included project's document.</summary>
    public static void ResolveProject(JsonObject document, string directory)
    {
        if (document["services"] is JsonObject services)
            foreach (var (_, service) in services)
                if (service is JsonObject fields)
                    ResolveService(fields, directory);
        foreach (var section in (string[])["secrets", "configs"])
            if (document[section] is JsonObject definitions)
                foreach (var (_, definition) in definitions)
                    if (definition is JsonObject fields && MergeForms.Text(fields["file"]) is { } file)
                        fields["file"] = Absolute(file, directory);
    }

    /// <summary>A service's build context, env files, label files and bind mount sources.</summary>
    public static void ResolveService(JsonObject service, string directory)
    {
        ResolveBuild(service, directory);
        ResolveFileList(service, "env_file", directory);
        ResolveFileList(service, "label_file", directory);
        if (service["volumes"] is JsonArray volumes)
            for (var i = 0; i < volumes.Count; i++)
                if (ResolveVolume(volumes[i], directory) is { } shortForm)
                    volumes[i] = shortForm;
    }

    private static void ResolveBuild(JsonObject service, string directory)
    {
        switch (service["build"])
        {
            case JsonValue shortForm when MergeForms.Text(shortForm) is { } context:
                service["build"] = BuildContext(context, directory);
                break;
            case JsonObject longForm:
                // A context left out means the directory of the file that wrote the build, not the main project's.
                longForm["context"] = BuildContext(MergeForms.Text(longForm["context"]) ?? ".", directory);
                if (longForm["additional_contexts"] is JsonObject named)
                    foreach (var key in named.Select(entry => entry.Key).ToList())
                        if (MergeForms.Text(named[key]) is { } path && IsPlainPath(path))
                            named[key] = Absolute(path, directory);
                break;
        }
    }

    /// <summary>URLs (git repositories, tarballs) stay as written.</summary>
    private static string BuildContext(string context, string directory) =>
        context.Contains("://", StringComparison.Ordinal) || context.StartsWith("git@", StringComparison.Ordinal)
            ? context
            : Absolute(context, directory);

    /// <summary>Not a reference such as <c>docker-image://…</c> or <c>service:name</c>.</summary>
    private static bool IsPlainPath(string path) => path.StartsWith('.') || !path.Contains(':');

    /// <summary>A path, a list of paths, or a list whose items may be <c>{path, required}</c>.</summary>
    private static void ResolveFileList(JsonObject service, string field, string directory)
    {
        switch (service[field])
        {
            case JsonValue single when MergeForms.Text(single) is { } path:
                service[field] = Absolute(path, directory);
                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    if (MergeForms.Text(items[i]) is { } path)
                        items[i] = Absolute(path, directory);
                    else if (items[i] is JsonObject longForm && MergeForms.Text(longForm["path"]) is { } longPath)
                        longForm["path"] = Absolute(longPath, directory);
                }
                break;
        }
    }

    /// <summary>
    /// A long form bind's source is changed in place; a short form <c>./src:/dst[:mode]</c> is returned rewritten
    /// (null when it stays: named volumes and anonymous ones are not paths).
    /// </summary>
    private static JsonValue? ResolveVolume(JsonNode? volume, string directory)
    {
        if (volume is JsonObject longForm)
        {
            if (MergeForms.Text(longForm["type"]) == "bind" && MergeForms.Text(longForm["source"]) is { Length: > 0 } source)
                longForm["source"] = Absolute(source, directory);
            return null;
        }
        if (MergeForms.Text(volume) is not { } shortForm)
            return null;
        var separator = shortForm.IndexOf(':');
        // Only a source written as a relative path ("." or "..") moves.
        if (separator <= 0 || shortForm[0] != '.')
            return null;
        return JsonValue.Create(Absolute(shortForm[..separator], directory) + shortForm[separator..]);
    }

    private static string Absolute(string path, string directory) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? path : Path.GetFullPath(path, directory);
}

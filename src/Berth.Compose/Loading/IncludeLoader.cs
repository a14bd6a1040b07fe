using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>
/// The top-level <c>include</c>: each entry is loaded as a project of its own (its own project directory for relative
/// paths, its own .env for variables the including project does not set, its own includes and extends), then its
/// services, networks, volumes, secrets and configs are added to the including document. A resource both documents
/// define differently is an error; the same definition met twice (two includes of one file) is taken once.
/// </summary>
internal static class IncludeLoader
{
    private static readonly string[] ImportedSections = ["services", "networks", "volumes", "secrets", "configs"];

    /// <summary>Loads the includes of one file's document into it and removes its <c>include</c> key.</summary>
    /// <param name="directory">The including project's directory: include paths, project_directory and env_file start there.</param>
    /// <param name="lookup">The including project's variables, which win over an included project's .env.</param>
    /// <param name="chain">The files that led here, the document's own last, to name an include cycle.</param>
    public static void Apply(JsonObject document, string directory, Func<string, string?> lookup, IReadOnlyList<string> chain)
    {
        if (!document.TryGetPropertyValue("include", out var include))
            return;
        document.Remove("include");
        if (include is null)
            return;
        if (include is not JsonArray entries)
            throw new ComposeException("include must be a list");
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = ReadEntry(entries[i], $"include.{i}");
            var files = entry.Paths.Select(path => ComposeFileReader.ExistingFile(path, directory)).ToList();
            foreach (var file in files.Where(chain.Contains))
                throw new ComposeException($"include cycle detected: {string.Join(" -> ", chain.Append(file))}");
            var projectDirectory = entry.ProjectDirectory is null
                ? Path.GetDirectoryName(files[0])!
                : Path.GetFullPath(entry.ProjectDirectory, directory);
            var includedLookup = IncludedLookup(entry.EnvFiles, directory, projectDirectory, lookup);
            var included = LoadProject(files, projectDirectory, includedLookup, chain);
            Import(included, document);
        }
    }

    /// <summary>An included project's document: its files merged, its own includes and extends applied, its paths absolute.</summary>
    private static JsonObject LoadProject(
        IReadOnlyList<string> files, string projectDirectory, Func<string, string?> lookup, IReadOnlyList<string> chain)
    {
        JsonObject? merged = null;
        foreach (var file in files)
        {
            foreach (var document in ComposeFileReader.Read(file, null, lookup))
            {
                Apply(document, projectDirectory, lookup, [.. chain, file]);
                merged = merged is null ? document : DocumentMerger.Merge(merged, document);
            }
        }
        merged ??= [];
        ServiceExtends.Apply(merged, files[0], projectDirectory, lookup);
        RelativePaths.ResolveProject(merged, projectDirectory);
        return merged;
    }

    private sealed record Entry(IReadOnlyList<string> Paths, string? ProjectDirectory, IReadOnlyList<string> EnvFiles);

    /// <summary>A path alone, or <c>{path: string|list, project_directory, env_file: string|list}</c>.</summary>
    private static Entry ReadEntry(JsonNode? node, string where)
    {
        if (MergeForms.Text(node) is { Length: > 0 } path)
            return new Entry([path], null, []);
        if (node is not JsonObject longForm)
            throw new ComposeException($"{where} must be a path or a mapping with a path");
        foreach (var (key, _) in longForm)
            if (key is not ("path" or "project_directory" or "env_file"))
                throw new ComposeException($"{where}: additional properties '{key}' not allowed");
        var paths = Strings(longForm["path"], $"{where}.path");
        if (paths.Count == 0)
            throw new ComposeException($"{where}.path is required");
        return new Entry(paths, MergeForms.Text(longForm["project_directory"]), Strings(longForm["env_file"], $"{where}.env_file"));
    }

    private static List<string> Strings(JsonNode? node, string where) => node switch
    {
        null => [],
        JsonArray items => items.Select(item => MergeForms.Text(item)
            ?? throw new ComposeException($"{where} must be a string or a list of strings")).ToList(),
        _ => [MergeForms.Text(node) ?? throw new ComposeException($"{where} must be a string or a list of strings")],
    };

    /// <summary>
    /// The including project's variables first (so it can customize what it includes), then the included project's
    /// env files: the ones the entry names (which must exist), else the .env of its project directory if there is one.
    /// </summary>
    private static Func<string, string?> IncludedLookup(
        IReadOnlyList<string> envFiles, string directory, string projectDirectory, Func<string, string?> lookup)
    {
        var files = envFiles.Count > 0
            ? envFiles.Select(file => Path.GetFullPath(file, directory)).ToList()
            : [Path.Combine(projectDirectory, ".env")];
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                if (envFiles.Count > 0)
                    throw new ComposeException($"couldn't find env file: {file}");
                continue;
            }
            foreach (var (key, value) in DotEnv.Parse(File.ReadAllText(file), file,
                name => lookup(name) ?? (values.TryGetValue(name, out var earlier) ? earlier : null)))
                values[key] = value;
        }
        return name => lookup(name) ?? (values.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>Adds the included resources to the including document, refusing a name both define differently.</summary>
    private static void Import(JsonObject included, JsonObject document)
    {
        foreach (var section in ImportedSections)
        {
            if (included[section] is not JsonObject resources)
                continue;
            if (document[section] is not JsonObject target)
            {
                target = [];
                document[section] = target;
            }
            foreach (var (name, resource) in resources.ToList())
            {
                if (target.TryGetPropertyValue(name, out var existing))
                {
                    if (JsonNode.DeepEquals(existing, resource))
                        continue;
                    throw new ComposeException($"{section}.{name} conflicts with imported resource");
                }
                target[name] = resource?.DeepClone();
            }
        }
    }
}

using System.Text.Json.Nodes;
using Berth.Compose.Model;

namespace Berth.Compose.Loading;

/// <summary>
/// Turns the compose files on disk into one merged, interpolated raw document, as Compose v2 does: find the files,
/// read the .env, interpolate each file, bring in its includes, merge them in order, resolve extends, settle the
/// project name, then hand the document over to the model reader.
/// </summary>
public static class ProjectLoader
{
    private const string StdinName = ComposeFileReader.StdinName;

    /// <summary>Loads, merges, interpolates and reads the project's model.</summary>
    public static ComposeProject Load(ProjectOptions options)
    {
        var (document, context) = LoadDocument(options);
        return ModelReader.Read(document, context);
    }

    /// <summary>The same up to the merged, interpolated raw document (for tests and `config --no-normalize` style uses).</summary>
    public static (JsonObject Document, ModelReaderContext Context) LoadDocument(ProjectOptions options)
    {
        var currentDirectory = Path.GetFullPath(options.CurrentDirectory);
        var explicitProjectDirectory = options.ProjectDirectory is null
            ? null
            : Path.GetFullPath(options.ProjectDirectory, currentDirectory);

        // The .env may name the files (COMPOSE_FILE), so it is read before they are known: from the directory the
        // project will be in if the options already say so, else the current one.
        var firstFile = options.ConfigFiles.FirstOrDefault();
        var envDirectory = explicitProjectDirectory
            ?? (firstFile is null or StdinName ? currentDirectory : Path.GetDirectoryName(Path.GetFullPath(firstFile, currentDirectory))!);
        var environment = ProjectEnvironment.Load(options, envDirectory);

        var files = ConfigFiles(options, environment, currentDirectory, envDirectory);
        var projectDirectory = explicitProjectDirectory
            ?? (files[0] == StdinName ? currentDirectory : Path.GetDirectoryName(files[0])!);
        // The .env belongs to the project directory (files found in a parent bring that directory's .env), unless
        // that .env is what named the files.
        var filesNamedByDotEnv = options.ConfigFiles.Count == 0 && options.Environment("COMPOSE_FILE") is null
            && environment.Lookup("COMPOSE_FILE") is { Length: > 0 };
        if (projectDirectory != envDirectory && options.EnvFiles.Count == 0 && !filesNamedByDotEnv)
            environment = ProjectEnvironment.Load(options, projectDirectory);

        JsonObject? merged = null;
        foreach (var file in files)
        {
            foreach (var document in ComposeFileReader.Read(file, options.StdinText, environment.Lookup))
            {
                // Each file brings its includes in before it is merged, so an included service may be changed by a
                // later -f file, but not redefined by the file that includes it.
                IncludeLoader.Apply(document, projectDirectory, environment.Lookup, [file]);
                merged = merged is null ? document : DocumentMerger.Merge(merged, document);
            }
        }
        merged ??= [];
        // Extends is resolved on the merged document, so a base changed by a later file is extended as changed.
        ServiceExtends.Apply(merged, files[0], projectDirectory, environment.Lookup);

        var name = ResolveName(options, environment, merged, projectDirectory);
        if (merged.ContainsKey("name"))
            merged["name"] = name;
        else
            merged.Insert(0, "name", name);

        var context = new ModelReaderContext(name, projectDirectory, files, Profiles(options, environment), environment.Lookup);
        return (merged, context);
    }

    /// <summary>-f files, else COMPOSE_FILE, else the default names found from the current directory upwards.</summary>
    private static IReadOnlyList<string> ConfigFiles(
        ProjectOptions options, ProjectEnvironment environment, string currentDirectory, string envDirectory)
    {
        if (options.ConfigFiles.Count > 0)
            return options.ConfigFiles.Select(file => file == StdinName ? file : ComposeFileReader.ExistingFile(file, currentDirectory)).ToList();

        var fromVariable = environment.Lookup("COMPOSE_FILE");
        if (!string.IsNullOrEmpty(fromVariable))
        {
            var separator = environment.Lookup("COMPOSE_PATH_SEPARATOR") is { Length: > 0 } custom ? custom : ":";
            return fromVariable.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(file => ComposeFileReader.ExistingFile(file, envDirectory))
                .ToList();
        }
        return ConfigFileDiscovery.Discover(currentDirectory);
    }

    /// <summary>-p, else COMPOSE_PROJECT_NAME, else the merged document's `name:`, else the project directory's name.</summary>
    private static string ResolveName(
        ProjectOptions options, ProjectEnvironment environment, JsonObject document, string projectDirectory)
    {
        if (!string.IsNullOrEmpty(options.ProjectName))
            return ProjectName.Explicit(options.ProjectName);
        if (environment.Lookup("COMPOSE_PROJECT_NAME") is { Length: > 0 } fromVariable)
            return ProjectName.Normalize(fromVariable);
        if (MergeForms.Text(document["name"]) is { Length: > 0 } fromFile)
            return ProjectName.Normalize(fromFile);
        return ProjectName.Normalize(Path.GetFileName(Path.TrimEndingDirectorySeparator(projectDirectory)));
    }

    /// <summary>--profile, else COMPOSE_PROFILES (comma-separated).</summary>
    private static IReadOnlyList<string> Profiles(ProjectOptions options, ProjectEnvironment environment)
    {
        if (options.Profiles.Count > 0)
            return options.Profiles;
        return (environment.Lookup("COMPOSE_PROFILES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}

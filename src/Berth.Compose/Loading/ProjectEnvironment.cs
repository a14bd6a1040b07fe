namespace Berth.Compose.Loading;

/// <summary>
/// The variables the compose files are interpolated with: the shell's environment first, then the project's .env
/// (or the --env-file files, later ones overriding earlier ones).
/// </summary>
internal sealed class ProjectEnvironment
{
    private readonly Func<string, string?> _shell;
    private readonly Dictionary<string, string?> _fileValues;

    private ProjectEnvironment(Func<string, string?> shell, Dictionary<string, string?> fileValues)
    {
        _shell = shell;
        _fileValues = fileValues;
    }

    public string? Lookup(string name) =>
        _shell(name) ?? (_fileValues.TryGetValue(name, out var value) ? value : null);

    /// <summary>
    /// Reads the --env-file files when given (each must exist, relative to the current directory), else
    /// <c>{directory}/.env</c> when there is one.
    /// </summary>
    public static ProjectEnvironment Load(ProjectOptions options, string directory)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var files = options.EnvFiles.Count > 0
            ? options.EnvFiles.Select(file => RequireFile(Path.GetFullPath(file, options.CurrentDirectory)))
            : [Path.Combine(directory, ".env")];
        foreach (var file in files.Where(File.Exists))
        {
            // A file's own lines may refer to the shell and to the files read before it.
            var parsed = DotEnv.Parse(File.ReadAllText(file), file,
                name => options.Environment(name) ?? (values.TryGetValue(name, out var earlier) ? earlier : null));
            foreach (var (key, value) in parsed)
                values[key] = value;
        }
        return new ProjectEnvironment(options.Environment, values);
    }

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new ComposeException($"couldn't find env file: {path}");
}

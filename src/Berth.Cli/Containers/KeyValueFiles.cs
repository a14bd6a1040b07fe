namespace Berth.Cli.Containers;

/// <summary>docker's --env-file and --label-file: KEY=VALUE lines, '#' comments, bare KEY taken from the environment.</summary>
public static class KeyValueFiles
{
    public static List<string> ReadEnvFile(string path, Func<string, string?> environment) => Read(path, environment, "env");

    /// <summary>Label files follow the env-file rules, bare keys included (docker reads both with one parser).</summary>
    public static List<string> ReadLabelFile(string path, Func<string, string?> environment) => Read(path, environment, "label");

    private static List<string> Read(string path, Func<string, string?> environment, string kind)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOptionException($"open {path}: no such file or directory");
        }
        var result = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.TrimStart();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var eq = line.IndexOf('=');
            var key = eq >= 0 ? line[..eq] : line;
            if (key.Length == 0)
                throw new InvalidOptionException($"invalid {kind} file ({path}): no variable name on line '{raw}'");
            if (key.Any(char.IsWhiteSpace))
                throw new InvalidOptionException($"invalid {kind} file ({path}): variable '{key}' contains whitespaces");
            if (eq >= 0)
                result.Add(line);
            else if (environment(key) is { } value)
                result.Add($"{key}={value}");
        }
        return result;
    }

    /// <summary>-e KEY=VALUE as is; a bare -e KEY takes the CLI's environment value, or stays bare (the daemon drops it).</summary>
    public static string ExpandEnv(string value, Func<string, string?> environment)
    {
        if (value.Contains('='))
            return value;
        return environment(value) is { } found ? $"{value}={found}" : value;
    }

    public static string? ValidateEnv(string value)
    {
        var eq = value.IndexOf('=');
        if (eq == 0)
            return $"invalid environment variable: {value}";
        return null;
    }
}

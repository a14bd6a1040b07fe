using System.Text.Json.Nodes;
using Berth.Compose.Loading;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// A service's environment: the <c>env_file</c> files in order, then <c>environment</c> on top. A variable named
/// without a value takes the shell's (or .env's) value, and stays null when neither defines it.
/// </summary>
internal static class EnvironmentSyntax
{
    public static Dictionary<string, string?> Read(JsonObject service, string path, ModelReaderContext context)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (file, required) in EnvFiles(service["env_file"], $"{path}.env_file", context))
        {
            if (!File.Exists(file))
            {
                if (required)
                    throw new ComposeException($"env file {file} not found: stat {file}: no such file or directory");
                continue;
            }
            foreach (var (key, value) in DotEnv.Parse(File.ReadAllText(file), file, context.Lookup))
                environment[key] = value;
        }
        foreach (var (key, value) in RawNodes.ListOrDict(service["environment"], $"{path}.environment"))
            environment[key] = value ?? context.Lookup(key);
        return environment;
    }

    private static List<(string File, bool Required)> EnvFiles(JsonNode? node, string path, ModelReaderContext context)
    {
        var files = new List<(string, bool)>();
        if (node is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = $"{path}.{i}";
                if (items[i] is JsonObject mapping)
                {
                    var file = RawNodes.RequiredString(mapping["path"], $"{itemPath}.path");
                    var required = RawNodes.Bool(mapping["required"], $"{itemPath}.required") ?? true;
                    files.Add((Absolute(file, context), required));
                }
                else
                {
                    files.Add((Absolute(RawNodes.RequiredString(items[i], itemPath), context), true));
                }
            }
        }
        else if (node is not null)
        {
            files.Add((Absolute(RawNodes.RequiredString(node, path), context), true));
        }
        return files;
    }

    private static string Absolute(string file, ModelReaderContext context) =>
        Path.GetFullPath(file, context.WorkingDirectory);
}

using System.Text;
using System.Text.Json.Nodes;
using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Cli.Stack;

/// <summary>The swarm IDs of a stack's secrets and configs, by engine name, for the services' references.</summary>
public sealed record StackObjectIds(IReadOnlyDictionary<string, string> Secrets, IReadOnlyDictionary<string, string> Configs)
{
    public static StackObjectIds None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}

/// <summary>
/// A stack's secrets and configs as `docker stack deploy` makes them: each one the file does not declare external is
/// created (or its labels updated) under its engine name (stack_key unless the file names it), labelled with the stack;
/// a service refers to them by name and ID, with the file's target, owner and mode (swarm's 0, 0 and 0444 by default).
/// </summary>
public static class StackFileObjects
{
    private const int DefaultMode = 0x124; // 0444

    /// <summary>The secret's or config's spec (its data read from its file, variable or inline content).</summary>
    public static JsonObject Spec(string stack, FileObjectConfig config, Func<string, string?> environment)
    {
        byte[] data;
        if (config.File is { } file)
        {
            try
            {
                data = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ComposeException($"open {file}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
            }
        }
        else if (config.Environment is { } variable)
        {
            data = Encoding.UTF8.GetBytes(environment(variable) ?? "");
        }
        else
        {
            data = Encoding.UTF8.GetBytes(config.Content ?? "");
        }
        return new JsonObject
        {
            ["Name"] = config.Name,
            ["Labels"] = new JsonObject { [StackSpecs.NamespaceLabel] = stack },
            ["Data"] = Convert.ToBase64String(data),
        };
    }

    /// <summary>ContainerSpec.Secrets or ContainerSpec.Configs for a service's references.</summary>
    public static JsonArray References(ComposeProject project, IReadOnlyList<ServiceFileReference> references, bool secrets, StackObjectIds ids)
    {
        var declared = secrets ? project.Secrets : project.Configs;
        var found = secrets ? ids.Secrets : ids.Configs;
        string kind = secrets ? "secret" : "config";
        var result = new JsonArray();
        foreach (var reference in references)
        {
            string name = declared.TryGetValue(reference.Source, out var config) ? config.Name : reference.Source;
            string id = found.GetValueOrDefault(name) ?? throw new ComposeException($"{kind} not found: {name}");
            var file = new JsonObject
            {
                ["Name"] = FileName(reference, secrets),
                ["UID"] = reference.Uid ?? "0",
                ["GID"] = reference.Gid ?? "0",
                ["Mode"] = reference.Mode ?? DefaultMode,
            };
            result.Add((JsonNode)new JsonObject
            {
                ["File"] = file,
                [secrets ? "SecretID" : "ConfigID"] = id,
                [secrets ? "SecretName" : "ConfigName"] = name,
            });
        }
        return result;
    }

    /// <summary>
    /// The file's name as docker sends it: a secret's relative to /run/secrets, a config's as the source's name when the
    /// file gave no target (both land where the compose model puts them).
    /// </summary>
    private static string FileName(ServiceFileReference reference, bool secrets)
    {
        const string secretsDirectory = "/run/secrets/";
        if (secrets) return reference.Target.StartsWith(secretsDirectory, StringComparison.Ordinal) ? reference.Target[secretsDirectory.Length..] : reference.Target;
        return reference.Target == "/" + reference.Source ? reference.Source : reference.Target;
    }
}

using Berth.Oci.Errors;
using YamlDotNet.RepresentationModel;

namespace Berth.Registry.Configuration;

/// <summary>
/// Gathers configuration as flat dotted keys (<c>http.addr</c>, <c>auth.token.access.0.actions.1</c>) from, in rising
/// precedence: a YAML file, environment variables <c>BERTH_REGISTRY_HTTP_ADDR</c>, and command-line flags
/// <c>--http.addr VALUE</c>. One flat namespace lets every key be set in any of the three ways.
/// </summary>
public static class SettingsSource
{
    public const string EnvironmentPrefix = "BERTH_REGISTRY_";

    public static Dictionary<string, string> FromYaml(string text, string origin)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw BerthException.Invalid($"config {origin}: {e.Message}");
        }
        if (stream.Documents.Count > 0) Flatten(stream.Documents[0].RootNode, "", keys, origin);
        return keys;
    }

    private static void Flatten(YamlNode node, string prefix, Dictionary<string, string> keys, string origin)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    string name = key is YamlScalarNode scalar ? scalar.Value ?? "" : throw BerthException.Invalid($"config {origin}: a key under \"{prefix}\" is not a scalar");
                    Flatten(value, prefix.Length == 0 ? name : $"{prefix}.{name}", keys, origin);
                }
                break;
            case YamlSequenceNode sequence:
                for (int i = 0; i < sequence.Children.Count; i++) Flatten(sequence.Children[i], $"{prefix}.{i}", keys, origin);
                break;
            case YamlScalarNode scalarValue:
                if (prefix.Length > 0) keys[prefix] = scalarValue.Value ?? "";
                break;
        }
    }

    /// <summary>BERTH_REGISTRY_AUTH_HTPASSWD_PATH becomes auth.htpasswd.path (matched against known keys case-insensitively).</summary>
    public static Dictionary<string, string> FromEnvironment(System.Collections.IDictionary environment)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            if (entry.Key is not string name || !name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal)) continue;
            if (name == EnvironmentPrefix + "CONFIG") continue;
            keys[name[EnvironmentPrefix.Length..].Replace('_', '.').ToLowerInvariant()] = entry.Value as string ?? "";
        }
        return keys;
    }

    public static void Overlay(Dictionary<string, string> target, Dictionary<string, string> source)
    {
        foreach (var (key, value) in source) target[key] = value;
    }
}

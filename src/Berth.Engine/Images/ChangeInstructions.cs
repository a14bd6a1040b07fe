using System.Text.Json;
using Berth.Oci.Errors;
using Berth.Oci.Images;

namespace Berth.Engine.Images;

/// <summary>
/// Dockerfile instructions applied to an image config by <c>import --change</c> and <c>commit --change</c>:
/// CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR.
/// </summary>
public static class ChangeInstructions
{
    public static void Apply(ImageRuntimeConfig config, IEnumerable<string> changes)
    {
        foreach (var change in changes)
        {
            string trimmed = change.Trim();
            if (trimmed.Length == 0) continue;
            int space = trimmed.IndexOfAny([' ', '\t']);
            string instruction = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
            string rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
            switch (instruction)
            {
                case "CMD": config.Cmd = Command(rest, config); break;
                case "ENTRYPOINT": config.Entrypoint = Command(rest, config); break;
                case "ENV":
                    config.Env ??= [];
                    foreach (var (key, value) in KeyValues(rest, "ENV"))
                    {
                        config.Env.RemoveAll(e => e.Split('=', 2)[0] == key);
                        config.Env.Add($"{key}={value}");
                    }
                    break;
                case "LABEL":
                    config.Labels ??= [];
                    foreach (var (key, value) in KeyValues(rest, "LABEL")) config.Labels[key] = value;
                    break;
                case "EXPOSE":
                    config.ExposedPorts ??= [];
                    foreach (var port in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        config.ExposedPorts[port.Contains('/') ? port : port + "/tcp"] = EmptyObject.Instance;
                    break;
                case "VOLUME":
                    config.Volumes ??= [];
                    foreach (var volume in rest.StartsWith('[') ? JsonArray(rest) : [.. rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)])
                        config.Volumes[volume] = EmptyObject.Instance;
                    break;
                case "USER": config.User = rest; break;
                case "WORKDIR": config.WorkingDir = rest; break;
                case "STOPSIGNAL": config.StopSignal = rest; break;
                case "ONBUILD": (config.OnBuild ??= []).Add(rest); break;
                // dockerd names the instruction as its parser keeps it: lower case.
                default: throw BerthException.Invalid($"{instruction.ToLowerInvariant()} is not a valid change command");
            }
        }
    }

    /// <summary>Exec form <c>["a","b"]</c> as is; shell form through the image's shell (default <c>/bin/sh -c</c>).</summary>
    private static List<string> Command(string text, ImageRuntimeConfig config)
    {
        if (text.StartsWith('['))
        {
            try { return JsonArray(text); }
            catch (BerthException) { /* not JSON after all: shell form, as Docker treats it */ }
        }
        var shell = config.Shell is { Count: > 0 } s ? s : ["/bin/sh", "-c"];
        return [.. shell, text];
    }

    private static List<string> JsonArray(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw BerthException.Invalid($"invalid JSON array: {text}");
        }
    }

    /// <summary><c>K=V K2="v 2"</c>, or the legacy single pair <c>K V</c>.</summary>
    private static List<(string Key, string Value)> KeyValues(string text, string instruction)
    {
        var pairs = new List<(string, string)>();
        if (!text.Contains('='))
        {
            int space = text.IndexOf(' ');
            if (space < 0) throw BerthException.Invalid($"{instruction} requires at least one argument");
            pairs.Add((text[..space], text[(space + 1)..].Trim()));
            return pairs;
        }
        foreach (var word in Words(text))
        {
            int eq = word.IndexOf('=');
            if (eq <= 0) throw BerthException.Invalid($"{instruction} names can not be blank: {word}");
            pairs.Add((word[..eq], word[(eq + 1)..]));
        }
        return pairs;
    }

    /// <summary>Splits on spaces outside quotes, removing the quotes (enough for K="v w" forms).</summary>
    private static IEnumerable<string> Words(string text)
    {
        var current = new System.Text.StringBuilder();
        char quote = '\0';
        foreach (char c in text)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0'; else current.Append(c);
            }
            else if (c is '"' or '\'') quote = c;
            else if (c == ' ')
            {
                if (current.Length > 0) { yield return current.ToString(); current.Clear(); }
            }
            else current.Append(c);
        }
        if (current.Length > 0) yield return current.ToString();
    }
}

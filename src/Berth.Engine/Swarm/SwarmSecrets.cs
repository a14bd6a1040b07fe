using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>
/// Secret and config specs as swarmkit checks and keeps them: the name and size rules with its messages, the spec
/// reduced to the members swarm knows (Name, Labels, Data, Driver for secrets, Templating), and the answer a client
/// sees (a secret's Data never leaves the manager).
/// </summary>
public static partial class SwarmSecrets
{
    /// <summary>swarmkit's limits: data must be shorter than 500 KiB for a secret, 1000 KiB for a config.</summary>
    public static int MaxSize(SwarmObjectKind kind) => kind == SwarmObjectKind.Secret ? 500 * 1024 : 1000 * 1024;

    public static string Word(SwarmObjectKind kind) => kind == SwarmObjectKind.Secret ? "secret" : "config";

    /// <summary>Checks a create request and answers the spec to keep (members read in any case, as Go reads them).</summary>
    public static JsonObject Normalize(SwarmObjectKind kind, JsonObject requested)
    {
        var sent = ServiceSpecs.Reparse(requested);
        string name = sent["Name"] is JsonValue n && n.TryGetValue(out string? text) ? text : "";
        CheckName(name);
        var spec = new JsonObject { ["Name"] = name, ["Labels"] = Labels(sent["Labels"]) };
        byte[] data = Data(sent);
        if (kind == SwarmObjectKind.Secret && sent["Driver"] is JsonObject driver)
        {
            string driverName = driver["Name"]?.GetValue<string>() ?? "";
            if (driverName.Length == 0) throw SwarmErrors.Invalid("secret driver must have a name");
            throw BerthException.NotImplemented($"secret drivers are not supported by berthd: {driverName} cannot provide secret {name}");
        }
        if (data.Length == 0 || data.Length >= MaxSize(kind))
            throw SwarmErrors.Invalid($"{Word(kind)} data must be larger than 0 and less than {MaxSize(kind)} bytes");
        spec["Data"] = Convert.ToBase64String(data);
        if (sent["Templating"] is JsonObject templating) spec["Templating"] = Driver(templating);
        return spec;
    }

    /// <summary>The spec after an update: only the labels may change (the same data may be sent back).</summary>
    public static JsonObject Update(JsonObject current, JsonObject requested)
    {
        var sent = ServiceSpecs.Reparse(requested);
        string name = sent["Name"] is JsonValue n && n.TryGetValue(out string? text) ? text : "";
        bool dataChanged = sent["Data"] is JsonValue && !Data(sent).AsSpan().SequenceEqual(DataOf(current));
        if (name != (current["Name"]?.GetValue<string>() ?? "") || dataChanged)
            throw SwarmErrors.Invalid("only updates to Labels are allowed");
        var spec = (JsonObject)current.DeepClone();
        spec["Labels"] = Labels(sent["Labels"]);
        return spec;
    }

    /// <summary>What GET answers: a secret without its Data, a config with it.</summary>
    public static Api.SwarmSecret View(SwarmObjectKind kind, Api.SwarmSecret stored)
    {
        if (kind == SwarmObjectKind.Config) return stored;
        var spec = (JsonObject)stored.Spec.DeepClone();
        spec.Remove("Data");
        return new Api.SwarmSecret { ID = stored.ID, Version = stored.Version, CreatedAt = stored.CreatedAt, UpdatedAt = stored.UpdatedAt, Spec = spec };
    }

    public static string NameOf(Api.SwarmSecret item) => item.Spec["Name"]?.GetValue<string>() ?? "";

    public static byte[] DataOf(JsonObject spec) => spec["Data"]?.GetValue<string>() is { } data ? Convert.FromBase64String(data) : [];

    private static void CheckName(string name)
    {
        if (name.Length == 0) throw SwarmErrors.Invalid("name must be provided");
        if (name.Length > 64 || !ValidName().IsMatch(name))
            throw SwarmErrors.Invalid("invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]");
    }

    private static byte[] Data(JsonObject sent)
    {
        if (sent["Data"] is not JsonValue value || !value.TryGetValue(out string? text)) return [];
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            // Go's decoder names the offending byte; the first one outside the base64 alphabet is close enough.
            int bad = Math.Max(0, text.AsSpan().IndexOfAnyExcept(Base64Alphabet));
            throw BerthException.Invalid($"illegal base64 data at input byte {bad}");
        }
    }

    private static readonly System.Buffers.SearchValues<char> Base64Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    private static JsonObject Labels(JsonNode? labels) =>
        labels is JsonObject map ? new JsonObject(map.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value?.ToString() ?? "")))) : [];

    /// <summary>A Driver-shaped member as Go writes it back: Name and Options, each only when set.</summary>
    private static JsonObject Driver(JsonObject sent)
    {
        var driver = new JsonObject();
        if (sent["Name"]?.GetValue<string>() is { Length: > 0 } name) driver["Name"] = name;
        if (sent["Options"] is JsonObject { Count: > 0 } options) driver["Options"] = Labels(options);
        return driver;
    }

    [GeneratedRegex("^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$")]
    private static partial Regex ValidName();
}

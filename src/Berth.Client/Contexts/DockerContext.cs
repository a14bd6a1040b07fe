using System.Text.Json.Nodes;

namespace Berth.Client.Contexts;

/// <summary>
/// One docker context as the docker CLI stores it in <c>meta.json</c>: a name, a description and the docker
/// endpoint (<c>Host</c>, <c>SkipTLSVerify</c>). The TLS files live beside it in the store, not in this record.
/// </summary>
public sealed record DockerContext(string Name, string Description, string Host, bool SkipTlsVerify)
{
    public const string DefaultName = "default";

    /// <summary>What <c>context ls</c> says of the implicit default context.</summary>
    public const string DefaultDescription = "Current DOCKER_HOST based configuration";

    /// <summary>meta.json's shape: <c>Metadata</c> holds the description only when there is one, as docker writes it.</summary>
    public JsonObject ToJson()
    {
        var metadata = new JsonObject();
        if (Description.Length > 0)
            metadata["Description"] = Description;
        return new JsonObject
        {
            ["Name"] = Name,
            ["Metadata"] = metadata,
            ["Endpoints"] = new JsonObject
            {
                ["docker"] = new JsonObject { ["Host"] = Host, ["SkipTLSVerify"] = SkipTlsVerify },
            },
        };
    }

    public static DockerContext FromJson(JsonNode? node)
    {
        var docker = node.Obj("Endpoints").Obj("docker");
        return new DockerContext(node.Str("Name"), node.Obj("Metadata").Str("Description"), docker.Str("Host"),
            docker.Bool("SkipTLSVerify"));
    }
}

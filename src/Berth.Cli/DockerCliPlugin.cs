using System.Text.Json.Nodes;

namespace Berth.Cli;

/// <summary>
/// berth as a docker CLI plugin: linked as <c>cli-plugins/docker-compose</c>, it makes <c>docker compose ...</c> run
/// <c>berth compose ...</c>. The docker CLI asks a plugin for its metadata first, then runs it as
/// <c>docker-compose [GLOBAL OPTIONS] compose [ARGS]</c>, which berth's own dispatch already handles.
/// </summary>
public static class DockerCliPlugin
{
    public const string MetadataCommand = "docker-cli-plugin-metadata";

    public static string Metadata() => new JsonObject
    {
        ["SchemaVersion"] = "0.1.0",
        ["Vendor"] = "Berth",
        ["Version"] = "v" + BuildInfo.Version,
        ["ShortDescription"] = "Docker Compose, as berth compose",
    }.ToJsonString() + "\n";
}

using System.Text.Json.Nodes;
using Berth.Engine.Containers;
using Berth.GoTemplates;

namespace Berth.Engine.Logs;

/// <summary>
/// The <c>tag</c> log option, a Go template over Docker's logger.Info (default <c>{{.ID}}</c>, the 12-character ID):
/// .ID .FullID .Name .ImageID .ImageFullID .ImageName .DaemonName .Hostname .Command and the Container* fields.
/// Rendered at start; errors are dockerd's ("template: log-tag:1: unclosed action").
/// </summary>
internal static class LogTag
{
    public const string Default = "{{.ID}}";

    public static string Render(string? template, ContainerRecord container)
    {
        string text = string.IsNullOrEmpty(template) ? Default : template;
        try
        {
            var parsed = GoTemplate.Parse(text, new GoTemplateOptions { MissingKey = MissingKeyMode.Error });
            return parsed.Execute(InfoOf(container));
        }
        catch (TemplateException e)
        {
            throw LogSettings.Failed(DockerWording(e.Message));
        }
    }

    private static JsonObject InfoOf(ContainerRecord container)
    {
        string name = container.Name.TrimStart('/');
        return new JsonObject
        {
            ["ID"] = container.Id[..12],
            ["FullID"] = container.Id,
            ["Name"] = name,
            ["ImageID"] = container.ImageId.Length > 12 ? container.ImageId[..12] : container.ImageId,
            ["ImageFullID"] = container.ImageId,
            ["ImageName"] = container.Config.Image,
            ["DaemonName"] = "docker",
            ["Hostname"] = container.Config.Hostname,
            ["Command"] = CommandOf(container),
            ["ContainerID"] = container.Id,
            ["ContainerName"] = "/" + name,
            ["ContainerImageName"] = container.Config.Image,
            ["ContainerImageID"] = container.ImageId,
            ["ContainerEntrypoint"] = container.Path,
            ["ContainerCreated"] = Berth.Api.ApiTime.Format(container.Created),
        };
    }

    /// <summary>Docker's logger.Info.Command(): the entrypoint and its arguments, space-separated.</summary>
    public static string CommandOf(ContainerRecord container) => string.Join(' ', [container.Path, .. container.Args]);

    /// <summary>Go's text/template messages name the template "log-tag" and the data type *logger.Info.</summary>
    private static string DockerWording(string message)
    {
        message = message.Replace("template: :", "template: log-tag:", StringComparison.Ordinal)
            .Replace("executing \"\"", "executing \"log-tag\"", StringComparison.Ordinal);
        int missing = message.IndexOf("map has no entry for key \"", StringComparison.Ordinal);
        if (missing < 0) return message;
        string key = message[(missing + 26)..].TrimEnd('"');
        return message[..missing] + $"can't evaluate field {key} in type *logger.Info";
    }
}

using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>The labels by which Compose v2 recognises its containers, networks and volumes.</summary>
public static class ComposeLabels
{
    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string ContainerNumber = "com.docker.compose.container-number";
    public const string OneOff = "com.docker.compose.oneoff";
    public const string WorkingDir = "com.docker.compose.project.working_dir";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string ConfigHash = "com.docker.compose.config-hash";
    public const string Version = "com.docker.compose.version";
    public const string Image = "com.docker.compose.image";
    public const string DependsOn = "com.docker.compose.depends_on";
    public const string Network = "com.docker.compose.network";
    public const string Volume = "com.docker.compose.volume";
    public const string Slug = "com.docker.compose.slug";

    /// <summary>
    /// The labels of a service container: the service's own first, then Compose's (which win, so a file cannot
    /// disguise a container as another project's).
    /// </summary>
    public static Dictionary<string, string> ForContainer(ComposeProject project, ServiceConfig service, int number, bool oneOff,
        string configHash, string imageId, string composeVersion)
    {
        var labels = new Dictionary<string, string>(service.Labels, StringComparer.Ordinal)
        {
            [Project] = project.Name,
            [Service] = service.Name,
            [ContainerNumber] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [OneOff] = oneOff ? "True" : "False",
            [WorkingDir] = project.WorkingDirectory,
            [ConfigFiles] = string.Join(',', project.ConfigFiles),
            [ConfigHash] = configHash,
            [Version] = composeVersion,
            [Image] = imageId,
        };
        if (service.DependsOn.Count > 0)
            labels[DependsOn] = DependsOnValue(service);
        return labels;
    }

    /// <summary><c>db:service_healthy:false,cache:service_started:true</c>, in the file's order.</summary>
    public static string DependsOnValue(ServiceConfig service)
        => string.Join(',', service.DependsOn.Select(pair => $"{pair.Key}:{pair.Value.Condition}:{(pair.Value.Restart ? "true" : "false")}"));

    public static Dictionary<string, string> ForNetwork(string projectName, string key, NetworkConfig network, string composeVersion)
        => new(network.Labels, StringComparer.Ordinal) { [Project] = projectName, [Network] = key, [Version] = composeVersion };

    public static Dictionary<string, string> ForVolume(string projectName, string key, VolumeConfig volume, string composeVersion)
        => new(volume.Labels, StringComparer.Ordinal) { [Project] = projectName, [Volume] = key, [Version] = composeVersion };
}

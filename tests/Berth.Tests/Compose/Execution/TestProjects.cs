using Berth.Compose.Model;

namespace Berth.Tests.Compose.Execution;

internal static class TestProjects
{
    public static ComposeProject With(params ServiceConfig[] services) => new()
    {
        Name = "proj",
        WorkingDirectory = "/src/proj",
        ConfigFiles = ["/src/proj/compose.yaml", "/src/proj/compose.override.yaml"],
        Services = services.ToDictionary(s => s.Name),
        Networks = new Dictionary<string, NetworkConfig>
        {
            ["default"] = new() { Name = "proj_default" },
            ["back"] = new() { Name = "proj_back" },
        },
        Volumes = new Dictionary<string, VolumeConfig> { ["data"] = new() { Name = "proj_data" } },
        Secrets = new Dictionary<string, FileObjectConfig>
        {
            ["token"] = new() { Name = "proj_token", File = "/src/proj/token.txt" },
            ["inline"] = new() { Name = "proj_inline", Content = "hello" },
        },
    };

    public static ServiceConfig Service(string name, params string[] dependsOn) => new()
    {
        Name = name,
        Image = "busybox",
        DependsOn = dependsOn.ToDictionary(d => d, _ => new DependsOn()),
    };
}

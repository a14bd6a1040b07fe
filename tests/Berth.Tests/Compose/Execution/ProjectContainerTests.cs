using System.Text.Json.Nodes;
using Berth.Compose.Execution;

namespace Berth.Tests.Compose.Execution;

public sealed class ProjectContainerTests
{
    [Fact]
    public void A_list_entry_is_read_with_its_compose_labels()
    {
        var entry = JsonNode.Parse("""
            {"Id":"abc","Names":["/proj-web-2"],"Image":"nginx","Command":"nginx","Created":5,"State":"exited",
             "Status":"Exited (137) 2 minutes ago","Ports":[],
             "Labels":{"com.docker.compose.service":"web","com.docker.compose.container-number":"2","com.docker.compose.oneoff":"False"}}
            """)!.AsObject();
        var container = ProjectContainer.FromListEntry(entry);
        Assert.Equal(("proj-web-2", "web", 2, 137, false, false), (container.Name, container.Service, container.Number, container.ExitCode, container.OneOff, container.IsRunning));
    }

    [Theory]
    [InlineData("Up 3 seconds (healthy)", "healthy")]
    [InlineData("Up 3 seconds (health: starting)", "starting")]
    [InlineData("Up 3 seconds (unhealthy)", "unhealthy")]
    [InlineData("Up 3 seconds", "")]
    public void The_health_is_read_from_the_status(string status, string health)
    {
        var entry = new JsonObject { ["Id"] = "x", ["State"] = "running", ["Status"] = status };
        Assert.Equal(health, ProjectContainer.FromListEntry(entry).Health);
    }
}

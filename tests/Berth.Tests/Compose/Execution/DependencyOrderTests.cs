using Berth.Compose;
using Berth.Compose.Execution;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Execution;

public sealed class DependencyOrderTests
{
    [Fact]
    public void Dependencies_come_first_and_the_file_order_is_kept_otherwise()
    {
        var project = TestProjects.With(
            TestProjects.Service("web", "api"), TestProjects.Service("api", "db", "cache"),
            TestProjects.Service("db"), TestProjects.Service("cache"), TestProjects.Service("tools"));
        Assert.Equal(["db", "cache", "api", "web", "tools"], DependencyOrder.Sort(project));
    }

    [Fact]
    public void A_cycle_is_reported_as_compose_reports_it()
    {
        var project = TestProjects.With(TestProjects.Service("a", "b"), TestProjects.Service("b", "a"));
        var error = Assert.Throws<ComposeException>(() => DependencyOrder.Sort(project));
        Assert.Equal("dependency cycle detected: a -> b -> a", error.Message);
    }

    [Fact]
    public void Selecting_a_service_brings_its_dependencies_unless_no_deps()
    {
        var project = TestProjects.With(
            TestProjects.Service("web", "api"), TestProjects.Service("api", "db"), TestProjects.Service("db"), TestProjects.Service("other"));
        Assert.Equal(["db", "api", "web"], DependencyOrder.Select(project, ["web"], noDeps: false));
        Assert.Equal(["web"], DependencyOrder.Select(project, ["web"], noDeps: true));
    }

    [Fact]
    public void Levels_put_services_that_need_nothing_at_zero_and_each_dependent_one_above_its_deepest_need()
    {
        var project = TestProjects.With(
            TestProjects.Service("web", "api", "db"), TestProjects.Service("api", "db"), TestProjects.Service("db"), TestProjects.Service("other"));
        var levels = DependencyOrder.Levels(project);
        Assert.Equal(0, levels["db"]);
        Assert.Equal(0, levels["other"]);
        Assert.Equal(1, levels["api"]);
        Assert.Equal(2, levels["web"]);
    }

    [Fact]
    public void Network_mode_volumes_from_and_links_are_dependencies_too()
    {
        var project = TestProjects.With(
            TestProjects.Service("app") with { NetworkMode = "service:vpn", VolumesFrom = ["service:store:ro", "container:outside"], Links = ["db:database"] },
            TestProjects.Service("vpn"), TestProjects.Service("store"), TestProjects.Service("db"));
        Assert.Equal(["db", "vpn", "store"], DependencyOrder.DependenciesOf(project, project.Services["app"]));
        Assert.Equal(["db", "vpn", "store", "app"], DependencyOrder.Sort(project));
    }

    [Fact]
    public void An_unknown_service_is_refused()
    {
        var project = TestProjects.With(TestProjects.Service("web"));
        Assert.Equal("no such service: nope", Assert.Throws<ComposeException>(() => DependencyOrder.Select(project, ["nope"], false)).Message);
    }

    [Fact]
    public void A_dependency_outside_the_project_is_ignored_in_the_order()
    {
        var project = TestProjects.With(TestProjects.Service("web") with
        {
            DependsOn = new Dictionary<string, DependsOn> { ["disabled"] = new() { Required = false } },
        });
        Assert.Equal(["web"], DependencyOrder.Sort(project));
    }
}

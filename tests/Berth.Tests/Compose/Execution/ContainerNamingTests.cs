using Berth.Compose.Execution;
using Berth.Compose.Model;

namespace Berth.Tests.Compose.Execution;

public sealed class ContainerNamingTests
{
    [Fact]
    public void Service_containers_are_project_service_number()
    {
        Assert.Equal("proj-web-2", ContainerNaming.ServiceContainer("proj", new ServiceConfig { Name = "web" }, 2));
        Assert.Equal("my-web", ContainerNaming.ServiceContainer("proj", new ServiceConfig { Name = "web", ContainerName = "my-web" }, 1));
    }

    [Fact]
    public void One_offs_end_with_twelve_hex_digits_of_the_slug()
    {
        string slug = ContainerNaming.NewSlug();
        Assert.Matches("^[0-9a-f]{64}$", slug);
        Assert.Equal("proj-web-run-" + slug[..12], ContainerNaming.OneOff("proj", "web", slug));
    }

    [Fact]
    public void New_containers_fill_the_lowest_free_numbers()
    {
        Assert.Equal([1, 2, 3], ContainerNaming.NumbersToCreate([], 3));
        Assert.Equal([1, 3], ContainerNaming.NumbersToCreate([2, 4], 4));
        Assert.Empty(ContainerNaming.NumbersToCreate([1, 2], 2));
    }

    [Fact]
    public void A_replacement_is_named_after_the_old_id()
        => Assert.Equal("0123456789ab_proj-web-1", ContainerNaming.Replacement("0123456789abcdef", "proj-web-1"));
}

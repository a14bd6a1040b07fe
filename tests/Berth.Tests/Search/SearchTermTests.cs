using Berth.Engine.Distribution.Search;
using Berth.Oci.Errors;

namespace Berth.Tests.Search;

public sealed class SearchTermTests
{
    [Theory]
    [InlineData("busybox", "docker.io", "busybox")]
    [InlineData("library/busybox", "docker.io", "busybox")]
    [InlineData("team/app", "docker.io", "team/app")]
    [InlineData("docker.io/library/busybox", "docker.io", "busybox")]
    [InlineData("index.docker.io/team/app", "docker.io", "team/app")]
    [InlineData("localhost/busy", "localhost", "busy")]
    [InlineData("localhost:5000/busy", "localhost:5000", "busy")]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000", "team/app")]
    [InlineData("localhost:5000/", "localhost:5000", "")]
    public void The_first_component_names_a_registry_when_it_looks_like_a_host(string term, string index, string query)
    {
        var search = SearchTerm.Parse(term);
        Assert.Equal((index, query), (search.Index, search.Query));
        Assert.Equal(index == "docker.io", search.IsDockerHub);
    }

    [Theory]
    [InlineData("http://localhost:5000/busy", "Invalid repository name (ex: \"registry.domain.tld/myrepos\")")]
    [InlineData("-bad:5000/x", "invalid index name (-bad:5000). Cannot begin or end with a hyphen")]
    public void Bad_terms_get_dockerds_messages(string term, string message)
    {
        var error = Assert.Throws<BerthException>(() => SearchTerm.Parse(term));
        Assert.Equal(message, error.Message);
    }
}

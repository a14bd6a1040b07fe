using System.Text.Json.Serialization.Metadata;
using Berth.Api;

namespace Berth.Tests.Api;

/// <summary>
/// Bodies captured from the reference dockerd and the docker CLI survive read-then-write unchanged: same names,
/// same nulls, same omitted fields. The only tolerated differences are fields API 1.50 added or dropped since 1.41.
/// </summary>
public sealed class ReferenceRoundTripTests
{
    // EndpointSettings gained GwPriority (1.48) and DNSNames (1.44) after the 1.41 reference.
    private static readonly string[] NewEndpointFields = ["extra .GwPriority", "extra .DNSNames"];

    // Docker 28 omits the deprecated kernel-memory limits when zero; 20.10 always wrote them.
    private static readonly string[] InspectVersionDifferences =
        [.. NewEndpointFields, "missing .HostConfig.KernelMemory", "missing .HostConfig.KernelMemoryTCP"];

    [Fact]
    public void CliCreateRequestRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.CliCreateRequest, ApiJson.Context.ContainerCreateRequest);

    [Fact]
    public void CliRichCreateRequestRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.CliRichCreateRequest, ApiJson.Context.ContainerCreateRequest);

    [Fact]
    public void RichContainerInspectRoundTrips() =>
        AssertRoundTrip(ReferenceBodies.RichContainerInspect, ApiJson.Context.ContainerInspect, InspectVersionDifferences);

    [Fact]
    public void DockerPyCreateRequestIsReadCompletely()
    {
        var request = ApiJson.Deserialize(ReferenceBodies.DockerPyCreateRequest, ApiJson.Context.ContainerCreateRequest)!;

        Assert.Equal("busybox", request.Image);
        Assert.Equal(["sleep", "5"], request.Cmd!);
        Assert.Equal(["A=1"], request.Env!);
        Assert.True(request.ExposedPorts!.ContainsKey("80/tcp"));
        Assert.True(request.Volumes!.ContainsKey("/data"));
        Assert.Equal("y", request.Labels!["x"]);
        Assert.Equal(67108864, request.HostConfig!.Memory);
        Assert.Equal(["apivol:/data:rw"], request.HostConfig.Binds!);
        Assert.Equal("8081", request.HostConfig.PortBindings!["80/tcp"]![0].HostPort);
        Assert.Null(request.NetworkingConfig);
    }

    [Fact]
    public void ContainerInspectRoundTrips() =>
        AssertRoundTrip(ReferenceBodies.ContainerInspect, ApiJson.Context.ContainerInspect, InspectVersionDifferences);

    [Fact]
    public void ContainerListRoundTrips() =>
        AssertRoundTrip(ReferenceBodies.ContainerList, ApiJson.Context.ListContainerSummary, NewEndpointFields);

    [Fact]
    public void ContainerStatsRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.ContainerStats, ApiJson.Context.ContainerStats);

    [Fact]
    public void SystemVersionRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.SystemVersion, ApiJson.Context.SystemVersion);

    [Fact]
    public void SystemInfoRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.SystemInfo, ApiJson.Context.SystemInfo);

    [Fact]
    public void ImageListRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.ImageList, ApiJson.Context.ListImageSummary);

    [Fact]
    public void ImageInspectRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.ImageInspect, ApiJson.Context.ImageInspect);

    [Fact]
    public void ImageHistoryRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.ImageHistory, ApiJson.Context.ListImageHistoryItem);

    [Fact]
    public void NetworkInspectRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.NetworkInspect, ApiJson.Context.NetworkResource);

    [Fact]
    public void VolumeListRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.VolumeList, ApiJson.Context.VolumeListResponse);

    [Fact]
    public void ExecCreateRequestRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.ExecCreateRequest, ApiJson.Context.ExecCreateRequest);

    [Fact]
    public void ExecInspectRoundTripsExactly() =>
        AssertRoundTrip(ReferenceBodies.ExecInspect, ApiJson.Context.ExecInspect);

    [Fact]
    public void SystemDfRoundTrips() =>
        AssertRoundTrip(ReferenceBodies.SystemDf, ApiJson.Context.SystemDfResponse, NewEndpointFields);

    [Fact]
    public void EventsRoundTripExactly()
    {
        AssertRoundTrip(ReferenceBodies.ContainerEvent, ApiJson.Context.EventMessage);
        AssertRoundTrip(ReferenceBodies.NetworkEvent, ApiJson.Context.EventMessage);
    }

    /// <param name="toleratedDifferences">"extra .Field" or "missing .Path.Field": a difference of that kind at a path ending so.</param>
    private static void AssertRoundTrip<T>(string reference, JsonTypeInfo<T> typeInfo, params string[] toleratedDifferences)
    {
        var model = ApiJson.Deserialize(reference, typeInfo);
        Assert.NotNull(model);
        var written = ApiJson.Serialize(model, typeInfo);
        var differences = JsonDiff.Compare(reference, written)
            .Where(difference => !toleratedDifferences.Any(tolerated => IsTolerated(difference, tolerated)))
            .ToList();
        Assert.Empty(differences);
    }

    private static bool IsTolerated(string difference, string tolerated)
    {
        var space = tolerated.IndexOf(' ');
        var kind = tolerated[..space];
        var pathSuffix = tolerated[(space + 1)..];
        return difference.StartsWith(kind + " $", StringComparison.Ordinal) && difference.EndsWith(pathSuffix, StringComparison.Ordinal);
    }
}

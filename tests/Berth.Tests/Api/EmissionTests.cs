using System.Text.Json.Nodes;
using Berth.Api;

namespace Berth.Tests.Api;

/// <summary>What freshly built models (as the daemon builds them) put on the wire: Docker's nulls and omissions.</summary>
public sealed class EmissionTests
{
    [Fact]
    public void NewHostConfigEmitsGoZeroValuesAndOmitsOmitemptyFields()
    {
        var json = Parse(ApiJson.Serialize(new HostConfig(), ApiJson.Context.HostConfig));

        Assert.True(json.ContainsKey("CapAdd"));
        Assert.Null(json["CapAdd"]);
        Assert.Null(json["PidsLimit"]);
        Assert.Null(json["MemorySwappiness"]);
        Assert.Equal("[]", json["Devices"]!.ToJsonString());
        Assert.Equal("[0,0]", json["ConsoleSize"]!.ToJsonString());
        Assert.Equal("{\"Name\":\"\",\"MaximumRetryCount\":0}", json["RestartPolicy"]!.ToJsonString());
        Assert.Equal("{\"Type\":\"\",\"Config\":{}}", json["LogConfig"]!.ToJsonString());
        foreach (var omitted in new[] { "Runtime", "Init", "Mounts", "Tmpfs", "Sysctls", "StorageOpt", "Annotations", "KernelMemory", "KernelMemoryTCP" })
        {
            Assert.False(json.ContainsKey(omitted), omitted);
        }
    }

    [Fact]
    public void NewContainerConfigOmitsOmitemptyFieldsAndKeepsNulls()
    {
        var json = Parse(ApiJson.Serialize(new ContainerConfig { Image = "busybox" }, ApiJson.Context.ContainerConfig));

        foreach (var kept in new[] { "Env", "Cmd", "Volumes", "Entrypoint", "OnBuild", "Labels" })
        {
            Assert.True(json.ContainsKey(kept), kept);
            Assert.Null(json[kept]);
        }
        foreach (var omitted in new[] { "ExposedPorts", "Healthcheck", "ArgsEscaped", "NetworkDisabled", "MacAddress", "StopSignal", "StopTimeout", "Shell" })
        {
            Assert.False(json.ContainsKey(omitted), omitted);
        }
    }

    [Fact]
    public void ExposedPortsAndVolumesAreSetsOfEmptyObjects()
    {
        var config = new ContainerConfig
        {
            ExposedPorts = new() { ["80/tcp"] = Berth.Api.Json.EmptyObject.Instance },
            Volumes = new() { ["/data"] = Berth.Api.Json.EmptyObject.Instance },
        };
        var json = Parse(ApiJson.Serialize(config, ApiJson.Context.ContainerConfig));

        Assert.Equal("{\"80/tcp\":{}}", json["ExposedPorts"]!.ToJsonString());
        Assert.Equal("{\"/data\":{}}", json["Volumes"]!.ToJsonString());
    }

    [Fact]
    public void NewContainerStateUsesGoZeroTimes()
    {
        var json = Parse(ApiJson.Serialize(new ContainerInspect(), ApiJson.Context.ContainerInspect));

        Assert.Equal(ApiTime.Zero, (string?)json["State"]!["FinishedAt"]);
        Assert.False(json["State"]!.AsObject().ContainsKey("Health"));
        Assert.True(json.ContainsKey("ExecIDs"));
        Assert.False(json.ContainsKey("SizeRw"));
        Assert.False(json.ContainsKey("SizeRootFs"));
    }

    [Fact]
    public void ImageVirtualSizeIsOmittedUnlessSetForOldClients()
    {
        var current = Parse(ApiJson.Serialize(new ImageSummary { Size = 10 }, ApiJson.Context.ImageSummary));
        var old = Parse(ApiJson.Serialize(new ImageSummary { Size = 10, VirtualSize = 10 }, ApiJson.Context.ImageSummary));

        Assert.False(current.ContainsKey("VirtualSize"));
        Assert.Equal(10, (long)old["VirtualSize"]!);
        Assert.Equal(-1, (long)current["Containers"]!);
    }

    [Fact]
    public void WaitResponseEmitsNullErrorLikeTheReference() =>
        Assert.Equal("{\"StatusCode\":3,\"Error\":null}",
            ApiJson.Serialize(new ContainerWaitResponse { StatusCode = 3 }, ApiJson.Context.ContainerWaitResponse));

    [Fact]
    public void ErrorResponseIsLowerCaseMessage() =>
        Assert.Equal("{\"message\":\"No such container: x\"}",
            ApiJson.Serialize(new ErrorResponse { Message = "No such container: x" }, ApiJson.Context.ErrorResponse));

    [Fact]
    public void ProgressFailureCarriesBothErrorFields() =>
        Assert.Equal("{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}",
            ApiJson.Serialize(JsonMessage.Failure("boom"), ApiJson.Context.JsonMessage));

    [Fact]
    public void ProgressLineOmitsEmptyFields() =>
        Assert.Equal("{\"status\":\"Downloading\",\"progressDetail\":{\"current\":5,\"total\":10},\"id\":\"abc\"}",
            ApiJson.Serialize(new JsonMessage { Status = "Downloading", Id = "abc", ProgressDetail = new() { Current = 5, Total = 10 } },
                ApiJson.Context.JsonMessage));

    [Fact]
    public void PlusSignsAreNotEscaped() =>
        Assert.Contains("\"20.10.24+dfsg1\"",
            ApiJson.Serialize(new SystemVersion { Version = "20.10.24+dfsg1" }, ApiJson.Context.SystemVersion), StringComparison.Ordinal);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}

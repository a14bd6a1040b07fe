namespace Berth.Api;

/// <summary>Body of POST /containers/{id}/update: Resources plus RestartPolicy.</summary>
public sealed class ContainerUpdateRequest : Resources
{
    public RestartPolicy? RestartPolicy { get; set; }
}

/// <summary>Reply of POST /containers/{id}/update.</summary>
public sealed class ContainerUpdateResponse
{
    public List<string>? Warnings { get; set; }
}

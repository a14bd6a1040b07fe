namespace Berth.Api;

/// <summary>Reply of POST /containers/{id}/wait. Error is null on a normal exit (as the reference emits).</summary>
public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }

    public ContainerWaitExitError? Error { get; set; }
}

public sealed class ContainerWaitExitError
{
    public string Message { get; set; } = "";
}

/// <summary>Reply of POST /containers/prune.</summary>
public sealed class ContainerPruneResponse
{
    public List<string>? ContainersDeleted { get; set; }

    public long SpaceReclaimed { get; set; }
}

/// <summary>Reply of GET /containers/{id}/top: ps columns and rows.</summary>
public sealed class ContainerTopResponse
{
    public List<List<string>> Processes { get; set; } = [];

    public List<string> Titles { get; set; } = [];
}

/// <summary>One item of GET /containers/{id}/changes. Kind: 0 modified, 1 added, 2 deleted.</summary>
public sealed class ContainerChange
{
    public string Path { get; set; } = "";

    public int Kind { get; set; }
}

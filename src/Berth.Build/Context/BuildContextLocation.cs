namespace Berth.Build.Context;

/// <summary>
/// Where a build's context is on disk, and the Dockerfile's text when it did not come from the context: a URL that
/// was the Dockerfile itself, with an empty context, as Docker makes it.
/// </summary>
public sealed record BuildContextLocation(string Root, string? DockerfileText);

namespace Berth.Compose.Execution;

/// <summary>
/// Turns a service's local build context into the tar sent with POST /build: the writer of the tar and the Dockerfile
/// name to ask the daemon for. The CLI gives the code <c>berth build</c> uses, so both send the same context
/// (.dockerignore, a Dockerfile from outside the context or inline added under a hidden name).
/// </summary>
/// <param name="contextDirectory">The context, an absolute directory.</param>
/// <param name="dockerfile">The Dockerfile relative to the context, or absolute; null for the context's Dockerfile.</param>
/// <param name="inlineDockerfile">dockerfile_inline's text, which wins over <paramref name="dockerfile"/>.</param>
public delegate (Func<Stream, CancellationToken, Task> Write, string Dockerfile) BuildContextPreparer(
    string contextDirectory, string? dockerfile, string? inlineDockerfile);

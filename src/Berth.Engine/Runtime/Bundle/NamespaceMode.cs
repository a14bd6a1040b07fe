namespace Berth.Engine.Runtime.Bundle;

public enum NamespaceKind
{
    /// <summary>A new namespace of the container's own.</summary>
    Private,
    /// <summary>The daemon's namespace (no namespace entry in the spec).</summary>
    Host,
    /// <summary>An existing namespace, by the path of its nsfs file (/proc/PID/ns/net, /run/netns/x).</summary>
    Join,
    /// <summary>Private and left empty: a network namespace with only loopback, or IPC without /dev/shm.</summary>
    None,
}

/// <summary>How a container gets one kind of namespace (Docker's NetworkMode, IpcMode, PidMode, UTSMode).</summary>
public sealed record NamespaceMode(NamespaceKind Kind, string? Path = null)
{
    public static NamespaceMode Private { get; } = new(NamespaceKind.Private);
    public static NamespaceMode Host { get; } = new(NamespaceKind.Host);
    public static NamespaceMode None { get; } = new(NamespaceKind.None);
    public static NamespaceMode Join(string path) => new(NamespaceKind.Join, path);
}

namespace Berth.Api.Json;

/// <summary>Go's struct{}: the value in set-like maps such as ExposedPorts ("80/tcp": {}) and Volumes ("/data": {}).</summary>
public sealed class EmptyObject
{
    public static EmptyObject Instance { get; } = new();
}

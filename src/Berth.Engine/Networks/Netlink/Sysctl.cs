using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Netlink;

/// <summary>
/// Kernel parameters through /proc/sys ("net.ipv4.ip_forward" or "net/ipv4/ip_forward"). /proc/sys/net shows the
/// network namespace of the calling thread, so inside <see cref="NetworkNamespace.Run{T}"/> these act on the container.
/// </summary>
public static class Sysctl
{
    /// <summary>Whether <paramref name="key"/> belongs to a network namespace (Docker's rule: the net.* keys).</summary>
    public static bool IsNetworkScoped(string key) => key.StartsWith("net.", StringComparison.Ordinal);

    public static string Read(string key) => File.ReadAllText(PathOf(key)).TrimEnd('\n');

    public static void Write(string key, string value)
    {
        try
        {
            File.WriteAllText(PathOf(key), value);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Internal($"sysctl {key}={value}: {exception.Message}", exception);
        }
    }

    /// <summary>Writes only when the value differs, so a read-only /proc/sys is no error when nothing changes.</summary>
    public static void Ensure(string key, string value)
    {
        if (Read(key) != value) Write(key, value);
    }

    public static string PathOf(string key) =>
        "/proc/sys/" + (key.Contains('/') ? key.TrimStart('/') : key.Replace('.', '/'));
}

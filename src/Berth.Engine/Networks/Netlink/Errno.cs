namespace Berth.Engine.Networks.Netlink;

/// <summary>The errno values netlink callers tell apart.</summary>
internal static class Errno
{
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int EADDRNOTAVAIL = 99;
}

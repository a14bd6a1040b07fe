namespace Berth.Daemon;

/// <summary>What berthd says about itself in /version and headers.</summary>
public static class DaemonInfo
{
    /// <summary>The Docker Engine version whose API behaviour Berth matches.</summary>
    public const string Version = "28.2.2";
    public const string BerthVersion = "0.1.0";
    public const string GitCommit = "berth";

    /// <summary>/info's IPv4Forwarding: the host's net.ipv4.ip_forward (off when the daemon runs with ip-forward=false and the host routes nothing).</summary>
    public static bool IPv4Forwarding()
    {
        try
        {
            return File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim() == "1";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>How many file descriptors berthd holds open: /info's NFd and the metrics' process_open_fds.</summary>
    public static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}

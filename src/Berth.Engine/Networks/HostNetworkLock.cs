using Berth.Oci.Errors;

namespace Berth.Engine.Networks;

/// <summary>
/// A host-wide lock around choosing a subnet and creating its bridge: several berthd start side by side (tests start
/// many at once), and two that read the host's routes at the same moment would pick the same free subnet.
/// </summary>
internal static class HostNetworkLock
{
    private const string LockPath = "/run/berth/network-plan.lock";

    public static IDisposable Acquire()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockPath)!);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Linux: released by the kernel if the daemon dies.
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
            catch (IOException exception)
            {
                throw BerthException.Internal($"timed out waiting for {LockPath}", exception);
            }
        }
    }
}

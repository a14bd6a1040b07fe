using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Networks.Netlink;

/// <summary>
/// Work inside another network namespace without moving the daemon: setns(CLONE_NEWNET) only ever happens on a fresh
/// thread that exits afterwards, never on a thread-pool thread. Sockets (netlink, DNS, ...) created there stay in that
/// namespace for their whole life, so the usual pattern is to create them on the setns thread and use them anywhere.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>
    /// Runs <paramref name="work"/> on a new thread joined to the namespace of <paramref name="netnsPath"/>.
    /// The work must be synchronous and must not start threads, tasks or async socket operations: a thread created
    /// from the setns thread would inherit the container's namespace.
    /// </summary>
    public static T Run<T>(string netnsPath, Func<T> work)
    {
        using SafeFileHandle ns = OpenNamespaceFile(netnsPath);
        return RunOnFreshThread(netnsPath, () =>
        {
            if (NetlinkLibC.SetNs((int)ns.DangerousGetHandle(), NetlinkLibC.CLONE_NEWNET) != 0)
                throw Failure($"setns {netnsPath}", Marshal.GetLastPInvokeError());
            return work();
        });
    }

    public static void Run(string netnsPath, Action work) => Run(netnsPath, () =>
    {
        work();
        return 0;
    });

    /// <summary>Opens a namespace file (keeps the namespace alive while open; passes as IFLA_NET_NS_FD).</summary>
    public static SafeFileHandle OpenNamespaceFile(string netnsPath)
    {
        try
        {
            return File.OpenHandle(netnsPath, FileMode.Open, FileAccess.Read);
        }
        catch (FileNotFoundException)
        {
            throw BerthException.NotFound($"network namespace {netnsPath} not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw BerthException.NotFound($"network namespace {netnsPath} not found");
        }
    }

    /// <summary>
    /// Creates a new, empty network namespace and pins it at <paramref name="path"/> (as `ip netns add` does, without
    /// running it): the directory becomes a shared mount so unmounts reach copies in other mount namespaces.
    /// </summary>
    public static void Create(string path)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        Directory.CreateDirectory(directory);
        MakeSharedMountPoint(directory);
        if (File.Exists(path)) throw BerthException.Conflict($"network namespace {path} already exists");
        using (File.Open(path, FileMode.CreateNew, FileAccess.Write)) { }
        try
        {
            RunOnFreshThread(path, () =>
            {
                if (NetlinkLibC.Unshare(NetlinkLibC.CLONE_NEWNET) != 0)
                    throw Failure($"unshare network namespace for {path}", Marshal.GetLastPInvokeError());
                if (Syscalls.Mount("/proc/thread-self/ns/net", path, "", Syscalls.MS_BIND, null) != 0)
                    throw Failure($"bind mount network namespace to {path}", Marshal.GetLastPInvokeError());
                DisableIpv6();
                return 0;
            });
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// As dockerd does for a container on networks without IPv6, the namespace starts with none: no ::1 on its
    /// loopback, no link-local address (nor the router solicitations it sends) on the interfaces moved in later. An
    /// endpoint of a dual-stack network turns it on for lo and its own interface (BridgeDriver.Connect), as dockerd's
    /// do. /proc/sys/net is the calling thread's namespace's; "default" covers later interfaces. A kernel without IPv6
    /// has no such files, which is as good.
    /// </summary>
    private static void DisableIpv6()
    {
        foreach (string scope in new[] { "all", "default" })
        {
            string file = $"/proc/sys/net/ipv6/conf/{scope}/disable_ipv6";
            if (File.Exists(file)) File.WriteAllText(file, "1");
        }
    }

    /// <summary>Unpins a namespace made by <see cref="Create"/>; it dies once no process, socket or open file holds it.</summary>
    public static void Delete(string path)
    {
        if (Syscalls.Umount2(path, Syscalls.MNT_DETACH) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            // EINVAL: not a mount point (a half-made namespace); ENOENT: already gone.
            if (errno is not (Errno.EINVAL or Errno.ENOENT)) throw Failure($"unmount network namespace {path}", errno);
        }
        File.Delete(path);
    }

    private static void MakeSharedMountPoint(string directory)
    {
        if (MakeShared(directory)) return;
        // Not yet a mount point. Daemons with other roots share the directory: one at a time makes it one. An empty
        // directory gets a tmpfs (the namespaces' pin files need no disk, and on a disk filesystem each new file costs
        // up to a millisecond after deletions); one holding pins gets bound onto itself, as iproute2 does for /run/netns.
        using var exclusive = LockBeside(directory);
        if (MakeShared(directory)) return;
        bool empty = !Directory.EnumerateFileSystemEntries(directory).Any();
        int made = empty
            ? Syscalls.Mount("tmpfs", directory, "tmpfs", Syscalls.MS_NOSUID | Syscalls.MS_NODEV | Syscalls.MS_NOEXEC, "mode=0755")
            : Syscalls.Mount(directory, directory, "", Syscalls.MS_BIND | Syscalls.MS_REC, null);
        if (made != 0 || !MakeShared(directory)) throw Failure($"make {directory} a shared mount", Marshal.GetLastPInvokeError());
    }

    /// <summary>mount --make-rshared; false when the directory is not a mount point.</summary>
    private static bool MakeShared(string directory)
    {
        if (Syscalls.Mount("none", directory, "", Syscalls.MS_SHARED | Syscalls.MS_REC, null) == 0) return true;
        if (Marshal.GetLastPInvokeError() != Errno.EINVAL)
            throw Failure($"make {directory} a shared mount", Marshal.GetLastPInvokeError());
        return false;
    }

    /// <summary>An exclusive lock (flock) on a file beside the directory, waited for a few seconds at most.</summary>
    private static FileStream LockBeside(string directory)
    {
        string path = directory.TrimEnd('/') + ".lock";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5); // another daemon holds it for a mount or two
            }
        }
    }

    private static T RunOnFreshThread<T>(string subject, Func<T> work)
    {
        RuntimeThreads.EnsureStarted();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "netns " + subject,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static BerthException Failure(string what, int errno) =>
        BerthException.Internal($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}");
}

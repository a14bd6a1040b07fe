using System.Diagnostics;

namespace Berth.IntegrationTests.Bundle;

/// <summary>A busybox root filesystem in a temporary directory: /bin/busybox, its applets, root and nobody.</summary>
public sealed class BusyboxRootfs : IDisposable
{
    public string Path { get; }

    public BusyboxRootfs()
    {
        Path = Directory.CreateTempSubdirectory("berth-busybox-").FullName;
        // Others must be able to traverse the rootfs, or a container running as nobody cannot exec anything.
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("containers need Linux");
        File.SetUnixFileMode(Path, (UnixFileMode)0x1ED);
        foreach (string dir in new[] { "bin", "etc", "tmp", "proc", "sys", "dev", "root", "home/user" })
            Directory.CreateDirectory(System.IO.Path.Combine(Path, dir));
        File.SetUnixFileMode(System.IO.Path.Combine(Path, "tmp"), (UnixFileMode)0x3FF);

        string busybox = System.IO.Path.Combine(Path, "bin/busybox");
        File.Copy("/bin/busybox", busybox);
        foreach (string applet in Applets())
        {
            string link = System.IO.Path.Combine(Path, "bin", applet);
            if (applet != "busybox" && !File.Exists(link)) File.CreateSymbolicLink(link, "busybox");
        }

        File.WriteAllText(System.IO.Path.Combine(Path, "etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nuser:x:1000:1000::/home/user:/bin/sh\n");
        File.WriteAllText(System.IO.Path.Combine(Path, "etc/group"), "root:x:0:\nnogroup:x:65534:\nuser:x:1000:\n");
    }

    private static IEnumerable<string> Applets()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/busybox", "--list") { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        RemoveCgroupParents();
    }

    /// <summary>runc removes each container's cgroup but leaves the parent it created; rmdir it on every hierarchy.</summary>
    private static void RemoveCgroupParents()
    {
        string name = RuncRunner.CgroupParent.TrimStart('/');
        var candidates = Directory.GetDirectories("/sys/fs/cgroup").Select(h => System.IO.Path.Combine(h, name))
            .Append(System.IO.Path.Combine("/sys/fs/cgroup", name));
        foreach (string dir in candidates.Where(Directory.Exists))
        {
            try { Directory.Delete(dir); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

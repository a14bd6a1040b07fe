using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>The pid file: refuses to start beside a live daemon using the same file, replaces a stale one.</summary>
public static class PidFile
{
    public static void Acquire(string path)
    {
        if (string.IsNullOrEmpty(path)) return;
        if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid) && pid != Environment.ProcessId
            && Directory.Exists($"/proc/{pid}"))
            throw BerthException.Conflict($"pid file found, ensure berthd is not running or delete {path}");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static void Release(string path)
    {
        if (!string.IsNullOrEmpty(path)) File.Delete(path);
    }
}

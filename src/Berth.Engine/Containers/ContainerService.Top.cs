using System.Diagnostics;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>The processes of a container as <c>ps</c> shows them (docker top).</summary>
public sealed record ProcessTable(IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Processes);

public sealed partial class ContainerService
{
    /// <summary>
    /// Runs the host's ps with <paramref name="psArgs"/> (Docker's default -ef) and keeps the rows of the container's
    /// processes: those in the same cgroup as its init, so exec'd processes count and host-PID containers work too.
    /// </summary>
    public async Task<ProcessTable> TopAsync(string idOrName, string? psArgs, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        if (!container.State.Running || container.State.Restarting || container.State.Pid <= 0)
            throw BerthException.Conflict($"Container {container.Id} is not running");
        var pids = PidsInCgroupOf(container.State.Pid);

        var info = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string.IsNullOrWhiteSpace(psArgs) ? "-ef" : psArgs).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            info.ArgumentList.Add(arg);
        using var ps = Process.Start(info) ?? throw BerthException.Internal("Error running ps");
        var stdout = ps.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = ps.StandardError.ReadToEndAsync(cancellationToken);
        await ps.WaitForExitAsync(cancellationToken);
        if (ps.ExitCode != 0)
            throw BerthException.Internal("ps: " + ((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? $"exit status {ps.ExitCode}"));
        var table = ParsePsOutput(await stdout, pids);
        // dockerd publishes a top event for every listing that succeeds.
        Publish(container, "top");
        return table;
    }

    /// <summary>Docker's parsing: titles from the header, the last column keeps its spaces, rows filtered by PID.</summary>
    public static ProcessTable ParsePsOutput(string output, IReadOnlySet<int> pids)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) throw BerthException.Internal("Couldn't find PID field in ps output");
        var titles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int pidColumn = Array.IndexOf(titles, "PID");
        if (pidColumn < 0) throw BerthException.Internal("Couldn't find PID field in ps output");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length <= pidColumn) continue;
            if (!int.TryParse(fields[pidColumn], out int pid))
                throw BerthException.Internal($"Unexpected pid '{fields[pidColumn]}': invalid syntax");
            if (!pids.Contains(pid)) continue;
            var row = fields.Take(titles.Length - 1).ToList();
            row.Add(string.Join(' ', fields.Skip(titles.Length - 1)));
            rows.Add(row);
        }
        return new ProcessTable(titles, rows);
    }

    private static HashSet<int> PidsInCgroupOf(int initPid)
    {
        string cgroup = Berth.Engine.Stats.CgroupFiles.Read($"/proc/{initPid}/cgroup");
        var pids = new HashSet<int> { initPid };
        if (cgroup.Length == 0) return pids;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            if (Berth.Engine.Stats.CgroupFiles.Read(Path.Combine(dir, "cgroup")) == cgroup) pids.Add(pid);
        }
        return pids;
    }
}

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>The host's processes, read from /proc.</summary>
public static class ProcessTable
{
    /// <summary>Pids of the processes whose command line contains every one of <paramref name="texts"/>.</summary>
    public static IEnumerable<int> WithCommandLineContaining(params string[] texts)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }
            if (texts.All(text => commandLine.Contains(text, StringComparison.Ordinal))) yield return pid;
        }
    }
}

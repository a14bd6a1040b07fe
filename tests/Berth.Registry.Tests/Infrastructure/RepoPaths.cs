namespace Berth.Registry.Tests.Infrastructure;

public static class RepoPaths
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Berth.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find Berth.slnx above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The berth-registry to test: $BERTH_TEST_REGISTRY_BIN (e.g. the AOT build) or the build output of this configuration.</summary>
    public static string RegistryBinary
    {
        get
        {
            if (Environment.GetEnvironmentVariable("BERTH_TEST_REGISTRY_BIN") is { Length: > 0 } bin) return bin;
            string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(RepositoryRoot, "src", "Berth.Registry", "bin", configuration, "net10.0", "berth-registry");
        }
    }

    public static string NewTempDirectory(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"berth-registry-tests", $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

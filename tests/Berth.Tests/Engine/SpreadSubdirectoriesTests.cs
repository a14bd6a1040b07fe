using Berth.Engine.Metadata;

namespace Berth.Tests.Engine;

public sealed class SpreadSubdirectoriesTests
{
    [Fact]
    public void The_flag_is_set_where_the_filesystem_has_it_and_asking_again_is_harmless()
    {
        var directory = Directory.CreateTempSubdirectory("berth-spread-");
        try
        {
            bool set = SpreadSubdirectories.Request(directory.FullName);
            Assert.Equal(set, SpreadSubdirectories.Request(directory.FullName));
            // ext4 (these machines' /tmp) has the flag: lsattr shows it as T.
            if (set) Assert.Contains("T", Lsattr(directory.FullName).Split(' ')[0]);
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void A_missing_directory_is_refused_without_an_exception() =>
        Assert.False(SpreadSubdirectories.Request("/nonexistent/berth-spread"));

    private static string Lsattr(string path)
    {
        var info = new System.Diagnostics.ProcessStartInfo("lsattr", ["-d", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}

using Berth.Engine.Containers;
using Berth.Engine.Metadata;
using Berth.Engine.Snapshots;
using Berth.Oci.Content;

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
    public void The_container_and_layer_stores_ask_for_it_on_their_roots()
    {
        var root = Directory.CreateTempSubdirectory("berth-spread-");
        try
        {
            string containers = Path.Combine(root.FullName, "containers"), layers = Path.Combine(root.FullName, "layers");
            _ = new ContainerStore(containers);
            _ = new LayerStore(layers, new FileContentStore(Path.Combine(root.FullName, "content")));
            if (!SpreadSubdirectories.Request(root.FullName)) return; // a filesystem without the flag
            Assert.Contains("T", Lsattr(containers).Split(' ')[0]);
            Assert.Contains("T", Lsattr(layers).Split(' ')[0]);
        }
        finally
        {
            root.Delete(recursive: true);
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

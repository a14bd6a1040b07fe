using Berth.Engine.Volumes;

namespace Berth.Tests.Volumes;

public sealed class VolumeStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-volstore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Volumes_and_their_data_survive_a_reload_and_a_second_add_keeps_the_first()
    {
        var store = new VolumeStore(_root);
        var (created, isNew) = store.GetOrAdd(new VolumeRecord { Name = "data1", Labels = new() { ["a"] = "b" }, CreatedAt = DateTimeOffset.UnixEpoch });
        Assert.True(isNew);
        File.WriteAllText(Path.Combine(store.DataDirOf("data1"), "f"), "kept");
        var (again, isNewAgain) = store.GetOrAdd(new VolumeRecord { Name = "data1" });
        Assert.False(isNewAgain);
        Assert.Same(created, again);

        var reloaded = new VolumeStore(_root);
        var volume = reloaded.Get("data1");
        Assert.Equal("b", volume.Labels!["a"]);
        Assert.Null(volume.Options);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(reloaded.DataDirOf("data1"), "f")));
    }

    [Fact]
    public void A_directory_without_metadata_is_not_a_volume_and_removal_deletes_the_data()
    {
        Directory.CreateDirectory(Path.Combine(_root, "half", "_data"));
        var store = new VolumeStore(_root);
        Assert.Null(store.TryGet("half"));
        store.GetOrAdd(new VolumeRecord { Name = "gone" });
        store.Remove(store.Get("gone"));
        Assert.False(Directory.Exists(store.DirOf("gone")));
        Assert.Null(new VolumeStore(_root).TryGet("gone"));
        Assert.Equal("get gone: no such volume", Assert.Throws<Berth.Oci.Errors.BerthException>(() => store.Get("gone")).Message);
    }
}

using Berth.Engine.Containers;
using Berth.Oci.Errors;

namespace Berth.Tests.Volumes;

public sealed class BindSpecTests
{
    [Fact]
    public void A_host_path_is_a_bind_with_rprivate_propagation_and_the_mode_as_written()
    {
        var spec = BindSpec.Parse("/srv/data:/data:ro");
        Assert.False(spec.IsVolume);
        Assert.True(spec.ReadOnly);
        Assert.Equal("ro", spec.Mode);
        Assert.Equal("rprivate", spec.Propagation);
    }

    [Fact]
    public void A_name_is_a_volume_shown_with_mode_z_and_no_propagation()
    {
        var spec = BindSpec.Parse("data:/data");
        Assert.True(spec.IsVolume);
        Assert.Equal("z", spec.Mode);
        Assert.Equal("", spec.Propagation);
        Assert.False(spec.NoCopy);
    }

    [Fact]
    public void Nocopy_is_kept_in_the_mode_and_skips_copy_up()
    {
        var spec = BindSpec.Parse("data:/data:nocopy");
        Assert.True(spec.NoCopy);
        Assert.Equal("nocopy", spec.Mode);
    }

    [Theory]
    [InlineData("bad/name:/x", "includes invalid characters for a local volume name")]
    [InlineData("data:relative", "mount path must be absolute")]
    [InlineData("data:/x:bogus", "invalid mode: bogus")]
    [InlineData("/a:/b:c:d", "invalid volume specification")]
    public void Bad_specs_are_refused_with_dockerds_message(string bind, string message)
    {
        var error = Assert.Throws<BerthException>(() => BindSpec.Parse(bind));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains(message, error.Message);
    }
}

using Berth.Oci.Errors;
using Berth.Oci.Layers;

namespace Berth.Tests.Layers;

public sealed class TarSafetyTests
{
    [Theory]
    [InlineData("a/b/c", "a/b/c")]
    [InlineData("./a/./b/", "a/b")]
    [InlineData("/abs/evil", "abs/evil")]
    [InlineData("a//b", "a/b")]
    [InlineData("a/../b", "b")]
    [InlineData("./", "")]
    [InlineData("/", "")]
    public void CleansNamesInsideTheRoot(string name, string expected) =>
        Assert.Equal(expected, TarSafety.CleanName(name, "the layer root"));

    [Theory]
    [InlineData("..")]
    [InlineData("../evil")]
    [InlineData("a/../../x")]
    [InlineData("/../x")]
    [InlineData("a\0b")]
    public void RefusesNamesThatLeaveTheRoot(string name)
    {
        var error = Assert.Throws<BerthException>(() => TarSafety.CleanName(name, "the layer root"));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
    }
}

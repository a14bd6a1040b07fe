using Berth.Engine.Snapshots;

namespace Berth.Tests.Engine;

public sealed class ChainIdsTests
{
    [Fact]
    public void The_first_chain_id_is_the_diff_id_and_the_next_hashes_both()
    {
        const string a = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        const string b = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        var chain = ChainIds.FromDiffIds([a, b]);
        Assert.Equal(a, chain[0]);
        // sha256 of "<a> <b>", as the OCI image spec defines ChainID.
        string expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(a + " " + b)));
        Assert.Equal(expected, chain[1]);
    }
}

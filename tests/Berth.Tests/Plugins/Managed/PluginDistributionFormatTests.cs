using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Engine.Plugins.Managed;
using Berth.Oci.Digests;

namespace Berth.Tests.Plugins.Managed;

/// <summary>What a plugin asks of the host, and its manifest, exactly as dockerd 20.10 gives them.</summary>
public sealed class PluginDistributionFormatTests
{
    [Fact]
    public void Privileges_are_listed_in_dockerds_order_and_words()
    {
        var config = JsonSerializer.Deserialize("""
            {"Network":{"Type":"host"},"IpcHost":true,"PidHost":true,
             "Mounts":[{"Name":"a","Destination":"/a","Type":"bind"},{"Name":"b","Source":"/var","Destination":"/b","Type":"bind"}],
             "Linux":{"AllowAllDevices":true,"Capabilities":["CAP_NET_ADMIN","CAP_SYS_ADMIN"],"Devices":[{"Name":"d","Path":"/dev/fuse"},{"Name":"e"}]}}
            """, ApiJsonContext.Default.PluginConfig)!;
        string json = JsonSerializer.Serialize(PluginPrivileges.Of(config), ApiJsonContext.Default.ListPluginPrivilege);
        Assert.Equal("""[{"Name":"network","Description":"permissions to access a network","Value":["host"]},""" +
                     """{"Name":"host ipc namespace","Description":"allow access to host ipc namespace","Value":["true"]},""" +
                     """{"Name":"host pid namespace","Description":"allow access to host pid namespace","Value":["true"]},""" +
                     """{"Name":"mount","Description":"host path to mount","Value":["/var"]},""" +
                     """{"Name":"device","Description":"host device to access","Value":["/dev/fuse"]},""" +
                     """{"Name":"allow-all-devices","Description":"allow \u0027rwm\u0027 access to all devices","Value":["true"]},""" +
                     """{"Name":"capabilities","Description":"list of additional capabilities required","Value":["CAP_NET_ADMIN","CAP_SYS_ADMIN"]}]""", json);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("bridge", 0)]
    [InlineData("null", 0)]
    [InlineData("none", 1)]
    [InlineData("host", 1)]
    public void Only_a_network_other_than_its_own_is_a_privilege(string type, int count) =>
        Assert.Equal(count, PluginPrivileges.Of(new PluginConfig { Network = new PluginNetwork { Type = type } }).Count);

    [Fact]
    public void Granted_privileges_must_match_in_any_order()
    {
        var config = new PluginConfig { Network = new PluginNetwork { Type = "host" }, Linux = new PluginLinux { Capabilities = ["CAP_A", "CAP_B"] } };
        var required = PluginPrivileges.Of(config);
        var reordered = required.AsEnumerable().Reverse().Select(p => new PluginPrivilege { Name = p.Name, Description = p.Description, Value = [.. p.Value.AsEnumerable().Reverse()] }).ToList();
        Assert.True(PluginPrivileges.Granted(required, reordered));
        Assert.False(PluginPrivileges.Granted(required, []));
        Assert.False(PluginPrivileges.Granted(required, [required[0]]));
        Assert.False(PluginPrivileges.Granted(required, [required[0], new PluginPrivilege { Name = "capabilities", Description = required[1].Description, Value = ["CAP_A"] }]));
        Assert.True(PluginPrivileges.Granted([], []));
    }

    [Fact]
    public void The_manifest_is_byte_for_byte_the_one_dockerd_pushes()
    {
        // As dockerd 20.10 pushed a plugin made by `docker plugin create` (digest sha256:9565713e…).
        const string expected = """{"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.plugin.v1+json","digest":"sha256:cfc863bfa4bdec0e51d77e95f88f57f7f150e6f9bbe1aad87dfe659036745c5e","size":917},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"sha256:f5b391ea13a11e6865b3b5047a2eef709a0b58bb4a46dd2eae3773ab819f5d00","size":3114137}],"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}""";
        byte[] manifest = PluginManifest.Build(Digest.Parse("sha256:cfc863bfa4bdec0e51d77e95f88f57f7f150e6f9bbe1aad87dfe659036745c5e"), 917,
            [(Digest.Parse("sha256:f5b391ea13a11e6865b3b5047a2eef709a0b58bb4a46dd2eae3773ab819f5d00"), 3114137)]);
        Assert.Equal(expected, Encoding.UTF8.GetString(manifest));
        Assert.Equal("sha256:9565713e2d2abe86cba4f34da9cb67f8896e66d965299e1e2f52e6da91999f74", Digest.Of(manifest).ToString());
    }
}

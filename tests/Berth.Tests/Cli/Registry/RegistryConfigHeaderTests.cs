using System.Text;
using Berth.Cli.Registry;

namespace Berth.Tests.Cli.Registry;

/// <summary>A build's X-Registry-Config: every login of config.json, keyed by server, as docker CLI 28 sent it.</summary>
public sealed class RegistryConfigHeaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-regconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task EveryStoredLoginIsSentAsDockerSendsThem()
    {
        string Auth(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + Auth("ann:pw") + "\"},\"https://index.docker.io/v1/\":{\"auth\":\"" +
            Auth("bob:s3") + "\",\"identitytoken\":\"tok\"},\"empty.example\":{}}}");

        var all = await new CredentialStore(DockerConfigFile.Load(_dir)).GetAllAsync(CancellationToken.None);

        // The header docker sent for this config.json, captured against a recording fake daemon.
        Assert.Equal("eyIxMjcuMC4wLjE6NTAwMCI6eyJ1c2VybmFtZSI6ImFubiIsInBhc3N3b3JkIjoicHciLCJzZXJ2ZXJhZGRyZXNzIjoiMTI3LjAuMC4xOjUwMDAifSwiZW1wdHkuZXhhbXBsZSI6eyJzZXJ2ZXJhZGRyZXNzIjoiZW1wdHkuZXhhbXBsZSJ9LCJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJib2IiLCJwYXNzd29yZCI6InMzIiwic2VydmVyYWRkcmVzcyI6Imh0dHBzOi8vaW5kZXguZG9ja2VyLmlvL3YxLyIsImlkZW50aXR5dG9rZW4iOiJ0b2sifX0=",
            RegistryConfigHeader.Encode(all.Values));
    }

    [Fact]
    public void NoLoginIsAnEmptyObject() => Assert.Equal("e30=", RegistryConfigHeader.Encode([]));
}

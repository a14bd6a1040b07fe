using System.Text.Json.Nodes;
using Berth.Cli.Registry;

namespace Berth.Tests.Cli.Registry;

/// <summary>
/// The docker-credential-* protocol against a small helper script that keeps secrets in files, put first on PATH under
/// a name only these tests use.
/// </summary>
public sealed class CredentialHelperTests : IDisposable
{
    private const string HelperName = "berthtest";
    private static readonly string BinDir = MakeBinDir();
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-credhelper-").FullName;

    public CredentialHelperTests() => File.WriteAllText(Path.Combine(BinDir, "store-dir"), Path.Combine(_dir, "secrets"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string MakeBinDir()
    {
        string bin = Directory.CreateTempSubdirectory("berth-credbin-").FullName;
        string script = Path.Combine(bin, "docker-credential-" + HelperName);
        File.WriteAllText(script, $$"""
            #!/bin/sh
            dir=$(cat {{bin}}/store-dir)
            mkdir -p "$dir"
            key() { printf '%s' "$1" | md5sum | cut -c1-32; }
            case "$1" in
              get) read -r server; f="$dir/$(key "$server")"
                   if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
              store) body=$(cat); server=$(printf '%s' "$body" | sed 's/.*"ServerURL":"\([^"]*\)".*/\1/')
                     printf '%s' "$body" > "$dir/$(key "$server")" ;;
              erase) read -r server; rm -f "$dir/$(key "$server")" ;;
              *) exit 2 ;;
            esac
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("PATH", bin + ":" + Environment.GetEnvironmentVariable("PATH"));
        return bin;
    }

    [Fact]
    public async Task CredsStore_keeps_secrets_out_of_the_file()
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"), $$"""{"credsStore":"{{HelperName}}"}""");
        var store = new CredentialStore(DockerConfigFile.Load(_dir));
        Assert.False(store.StoresInFile("127.0.0.1:5000"));
        Assert.Null(await store.GetAsync("127.0.0.1:5000", CancellationToken.None));

        await store.StoreAsync(new Credentials("127.0.0.1:5000", "ann", "secret"), CancellationToken.None);
        string file = File.ReadAllText(Path.Combine(_dir, "config.json"));
        Assert.DoesNotContain("secret", file);
        Assert.Empty(JsonNode.Parse(file)!["auths"]!["127.0.0.1:5000"]!.AsObject());

        var reopened = new CredentialStore(DockerConfigFile.Load(_dir));
        Assert.Equal(new Credentials("127.0.0.1:5000", "ann", "secret"), await reopened.GetAsync("127.0.0.1:5000", CancellationToken.None));

        Assert.True(await reopened.EraseAsync("127.0.0.1:5000", CancellationToken.None));
        Assert.Null(await reopened.GetAsync("127.0.0.1:5000", CancellationToken.None));
        Assert.False(await reopened.EraseAsync("127.0.0.1:5000", CancellationToken.None));
    }

    [Fact]
    public async Task CredHelpers_apply_per_registry_and_others_use_the_file()
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{\"credHelpers\":{\"helped:5000\":\"" + HelperName + "\"}}");
        var store = new CredentialStore(DockerConfigFile.Load(_dir));
        await store.StoreAsync(new Credentials("helped:5000", "ann", "one"), CancellationToken.None);
        await store.StoreAsync(new Credentials("plain:5000", "bob", "two"), CancellationToken.None);
        string file = File.ReadAllText(Path.Combine(_dir, "config.json"));
        Assert.DoesNotContain(Convert.ToBase64String("ann:one"u8.ToArray()), file);
        Assert.Contains(Convert.ToBase64String("bob:two"u8.ToArray()), file);
        Assert.Equal("one", (await store.GetAsync("helped:5000", CancellationToken.None))!.Secret);
        Assert.Equal("two", (await store.GetAsync("plain:5000", CancellationToken.None))!.Secret);
    }

    [Fact]
    public async Task Identity_tokens_travel_as_the_token_user()
    {
        var helper = new CredentialHelper(HelperName);
        await helper.StoreAsync(new Credentials("hub", "ann", "", "refresh-token"), CancellationToken.None);
        var back = await helper.GetAsync("hub", CancellationToken.None);
        Assert.Equal("refresh-token", back!.IdentityToken);
        Assert.Equal("", back.Username);
    }

    [Fact]
    public async Task A_missing_helper_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<Berth.Cli.CliException>(() => new CredentialHelper("no-such-helper-here").GetAsync("x", CancellationToken.None));
        Assert.Contains("docker-credential-no-such-helper-here", error.Message);
    }
}

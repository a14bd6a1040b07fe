using System.Text;
using Berth.Engine.Distribution.Auth;
using Berth.Oci.Errors;

namespace Berth.Tests.Distribution;

public class RegistryCredentialsTests
{
    private static string UrlBase64(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');

    [Fact]
    public void Docker_CLI_header_with_username_password_and_server()
    {
        // What docker CLI 28 sends: base64url of the AuthConfig JSON.
        string header = UrlBase64("{\"username\":\"ann\",\"password\":\"s3cr?t>>\",\"serveraddress\":\"localhost:5000\"}");
        var credentials = RegistryCredentials.FromRegistryAuthHeader(header, out string? server);
        Assert.Equal("ann", credentials.Username);
        Assert.Equal("s3cr?t>>", credentials.Password);
        Assert.Equal("localhost:5000", server);
        Assert.True(credentials.HasPassword);
        Assert.DoesNotContain("s3cr", credentials.ToString());
    }

    [Fact]
    public void Standard_base64_and_missing_padding_are_accepted()
    {
        string standard = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"username\":\"a\",\"password\":\"b>?\"}"));
        Assert.Equal("b>?", RegistryCredentials.FromRegistryAuthHeader(standard).Password);
        Assert.Equal("b>?", RegistryCredentials.FromRegistryAuthHeader(standard.TrimEnd('=')).Password);
    }

    [Fact]
    public void Auth_field_fills_in_user_and_password()
    {
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:pa:ss"));
        var credentials = RegistryCredentials.FromRegistryAuthHeader(UrlBase64($"{{\"auth\":\"{auth}\"}}"));
        Assert.Equal("bob", credentials.Username);
        Assert.Equal("pa:ss", credentials.Password);
    }

    [Fact]
    public void Identity_and_registry_tokens()
    {
        var credentials = RegistryCredentials.FromRegistryAuthHeader(UrlBase64("{\"username\":\"<token>\",\"identitytoken\":\"refresh-1\",\"registrytoken\":\"\"}"));
        Assert.Equal("refresh-1", credentials.IdentityToken);
        Assert.Null(credentials.RegistryToken);
        Assert.False(credentials.HasPassword);
        var bearer = RegistryCredentials.FromRegistryAuthHeader(UrlBase64("{\"registrytoken\":\"abc\"}"));
        Assert.Equal("abc", bearer.RegistryToken);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("e30=")] // {}
    [InlineData("bnVsbA==")] // null
    public void Empty_headers_are_anonymous(string? header) =>
        Assert.True(RegistryCredentials.FromRegistryAuthHeader(header).IsAnonymous);

    [Theory]
    [InlineData("!!!not base64!!!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    public void Malformed_headers_are_invalid(string header)
    {
        var error = Assert.Throws<BerthException>(() => RegistryCredentials.FromRegistryAuthHeader(header));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains("X-Registry-Auth", error.Message);
    }
}

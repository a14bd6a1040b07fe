using System.Buffers;
using System.Text.Json;
using Berth.Registry.Distribution;
using Berth.Registry.Http;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Auth;

/// <summary>
/// The token endpoint of token auth (<c>/token</c>): <c>GET ?service=&amp;scope=...</c> with optional basic credentials,
/// as docker and skopeo ask, or the OAuth2 form <c>POST grant_type=password</c>. Answers a signed JWT granting the
/// part of the requested scopes the access rules allow.
/// </summary>
public sealed class TokenEndpoint(TokenService service)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        (string User, string Password)? credentials = Htpasswd.ParseBasic(request.Headers.Authorization);
        IEnumerable<string> scopes;
        string? requestedService;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            string? grantType = form["grant_type"];
            if (grantType != "password")
            {
                await OAuthErrorAsync(context, "unsupported_grant_type", $"grant_type \"{grantType}\" is not supported");
                return;
            }
            credentials = (form["username"].ToString(), form["password"].ToString());
            scopes = form["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
            requestedService = form["service"];
        }
        else if (HttpMethods.IsGet(request.Method))
        {
            scopes = request.Query["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
            requestedService = request.Query["service"];
        }
        else
        {
            throw RegistryErrors.Unsupported($"the token endpoint does not answer {request.Method}");
        }

        if (!string.IsNullOrEmpty(requestedService) && requestedService != service.Settings.TokenService)
            throw RegistryErrors.Create(ErrorCode.Denied, $"token: unknown service \"{requestedService}\"", StatusCodes.Status400BadRequest);
        string account = service.Authenticate(credentials)
            ?? throw Unauthorized(context, $"user \"{credentials!.Value.User}\": wrong user name or password");

        var access = new List<GrantedAccess>();
        foreach (var scope in scopes)
            if (TokenService.ParseScope(scope) is { } parsed) access.Add(service.Grant(account, parsed));

        var now = DateTimeOffset.UtcNow;
        var expires = now + service.Settings.TokenExpiration;
        string token = service.Jwt.Sign(new TokenClaims(service.Settings.TokenIssuer, account == TokenService.Anonymous ? "" : account,
            service.Settings.TokenService, now, expires, access));

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("token", token);
            writer.WriteString("access_token", token);
            writer.WriteNumber("expires_in", (long)service.Settings.TokenExpiration.TotalSeconds);
            writer.WriteString("issued_at", now);
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "no-store";
        await Responses.WriteAsync(context.Response, StatusCodes.Status200OK, "application/json", buffer.WrittenMemory);
    }

    private static Oci.Errors.BerthException Unauthorized(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"berth-registry token\"";
        return RegistryErrors.Create(ErrorCode.Unauthorized, message);
    }

    private static Task OAuthErrorAsync(HttpContext context, string error, string description)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
        }
        return Responses.WriteAsync(context.Response, StatusCodes.Status400BadRequest, "application/json", buffer.WrittenMemory);
    }
}

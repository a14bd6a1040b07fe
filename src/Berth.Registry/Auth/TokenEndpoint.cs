using System.Buffers;
using System.Text.Json;
using Berth.Registry.Distribution;
using Berth.Registry.Http;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Auth;

/// <summary>
/// The token endpoint of token auth (<c>/token</c>). <c>GET ?service=&amp;scope=...</c> with optional basic credentials,
/// as docker and skopeo ask (<c>offline_token=true</c> adds a refresh token), or the OAuth2 form <c>POST</c> with
/// <c>grant_type=password</c> (username and password) or <c>grant_type=refresh_token</c> (a refresh token from an
/// earlier answer: what <c>docker login</c> stores as its identity token), where <c>access_type=offline</c> asks for a
/// refresh token. Answers a signed JWT granting the part of the requested scopes the access rules allow.
/// </summary>
public sealed class TokenEndpoint(TokenService service)
{
    private sealed record TokenRequest(string Account, IReadOnlyList<string> Scopes, string? Service, bool Offline, bool OAuth);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        TokenRequest? parsed;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
            parsed = await ReadOAuthAsync(context);
        else if (HttpMethods.IsGet(request.Method))
            parsed = ReadQuery(context);
        else
            throw RegistryErrors.Unsupported($"the token endpoint does not answer {request.Method}");
        if (parsed is null) return; // an OAuth2 error answer was written

        if (!string.IsNullOrEmpty(parsed.Service) && parsed.Service != service.Settings.TokenService)
            throw RegistryErrors.Create(ErrorCode.Denied, $"token: unknown service \"{parsed.Service}\"", StatusCodes.Status400BadRequest);

        var access = new List<GrantedAccess>();
        foreach (var scope in parsed.Scopes)
            if (TokenService.ParseScope(scope) is { } requested) access.Add(service.Grant(parsed.Account, requested));

        var now = DateTimeOffset.UtcNow;
        var expires = now + service.Settings.TokenExpiration;
        string token = service.Jwt.Sign(new TokenClaims(service.Settings.TokenIssuer, parsed.Account == TokenService.Anonymous ? "" : parsed.Account,
            service.Settings.TokenService, now, expires, access));
        string? refreshToken = parsed.Offline ? service.IssueRefreshToken(parsed.Account, now) : null;

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (!parsed.OAuth) writer.WriteString("token", token);
            writer.WriteString("access_token", token);
            if (parsed.OAuth) writer.WriteString("scope", string.Join(' ', access.Where(a => a.Actions.Count > 0).Select(a => $"{a.Type}:{a.Name}:{string.Join(',', a.Actions)}")));
            writer.WriteNumber("expires_in", (long)service.Settings.TokenExpiration.TotalSeconds);
            writer.WriteString("issued_at", now);
            if (refreshToken is not null) writer.WriteString("refresh_token", refreshToken);
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "no-store";
        await Responses.WriteAsync(context.Response, StatusCodes.Status200OK, "application/json", buffer.WrittenMemory);
    }

    private TokenRequest ReadQuery(HttpContext context)
    {
        var query = context.Request.Query;
        var credentials = Htpasswd.ParseBasic(context.Request.Headers.Authorization);
        string account = service.Authenticate(credentials)
            ?? throw Unauthorized(context, $"user \"{credentials!.Value.User}\": wrong user name or password");
        return new TokenRequest(account, SplitScopes(query["scope"]), query["service"], Offline: query["offline_token"] == "true", OAuth: false);
    }

    private async Task<TokenRequest?> ReadOAuthAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string grantType = form["grant_type"].ToString();
        string? missing = new[] { "grant_type", "service", "client_id" }.FirstOrDefault(k => string.IsNullOrEmpty(form[k]));
        if (missing is not null)
            return await OAuthErrorAsync(context, "invalid_request", $"{missing} is required");

        string account;
        switch (grantType)
        {
            case "password":
                if (string.IsNullOrEmpty(form["username"]))
                    return await OAuthErrorAsync(context, "invalid_request", "username is required");
                string user = form["username"].ToString();
                if (service.Authenticate((user, form["password"].ToString())) is not { } known || known == TokenService.Anonymous)
                    return await OAuthErrorAsync(context, "invalid_grant", $"user \"{user}\": wrong user name or password");
                account = known;
                break;
            case "refresh_token":
                if (string.IsNullOrEmpty(form["refresh_token"]))
                    return await OAuthErrorAsync(context, "invalid_request", "refresh_token is required");
                if (service.AccountOfRefreshToken(form["refresh_token"].ToString(), DateTimeOffset.UtcNow, out string reason) is not { } holder)
                    return await OAuthErrorAsync(context, "invalid_grant", $"refresh token refused: {reason}");
                account = holder;
                break;
            default:
                return await OAuthErrorAsync(context, "unsupported_grant_type", $"grant_type \"{grantType}\" is not supported");
        }
        return new TokenRequest(account, SplitScopes(form["scope"]), form["service"], Offline: form["access_type"] == "offline", OAuth: true);
    }

    private static List<string> SplitScopes(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static Oci.Errors.BerthException Unauthorized(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"berth-registry token\"";
        return RegistryErrors.Create(ErrorCode.Unauthorized, message);
    }

    /// <summary>RFC 6749 section 5.2: 400 with <c>error</c> and <c>error_description</c>.</summary>
    private static async Task<TokenRequest?> OAuthErrorAsync(HttpContext context, string error, string description)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("error_description", description);
            writer.WriteEndObject();
        }
        context.Response.Headers.CacheControl = "no-store";
        await Responses.WriteAsync(context.Response, StatusCodes.Status400BadRequest, "application/json", buffer.WrittenMemory);
        return null;
    }
}

using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Auth;

/// <summary>
/// Bearer-token auth as Docker Hub does it: a request without a valid token covering what it needs gets 401 with
/// <c>WWW-Authenticate: Bearer realm="...",service="...",scope="..."</c>, and the client fetches a token there.
/// </summary>
public sealed class TokenAccess(TokenService service) : IAccessController
{
    public ValueTask<Grant> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRequest> needed)
    {
        string? authorization = context.Request.Headers.Authorization;
        TokenClaims? claims = null;
        string error = "";
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            claims = service.Jwt.Verify(authorization[7..].Trim(), DateTimeOffset.UtcNow, out string reason);
            if (claims is not null && (claims.Issuer != service.Settings.TokenIssuer || claims.Audience != service.Settings.TokenService))
            {
                claims = null;
                reason = "token for another issuer or service";
            }
            if (claims is null) error = $",error=\"invalid_token\",error_description=\"{reason}\"";
        }

        if (claims is not null)
        {
            var missing = needed.Where(n => !n.Actions.All(a => Allows(claims, n.Type, n.Name, a))).ToList();
            if (missing.Count == 0)
            {
                var granted = claims;
                return ValueTask.FromResult(new Grant(claims.Subject.Length == 0 ? null : claims.Subject,
                    (type, name, action) => Allows(granted, type, name, action)));
            }
            error = ",error=\"insufficient_scope\"";
        }

        string realm = service.Settings.TokenRealm ?? $"{context.Request.Scheme}://{context.Request.Host}/token";
        string scope = needed.Count == 0 ? "" : $",scope=\"{string.Join(' ', needed)}\"";
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\",service=\"{service.Settings.TokenService}\"{scope}{error}";
        throw RegistryErrors.Create(ErrorCode.Unauthorized, claims is null ? "authentication required" : $"access to {string.Join(' ', needed)} was not granted");
    }

    private static bool Allows(TokenClaims claims, string type, string name, string action) =>
        claims.Access.Any(a => a.Type == type && a.Name == name && (a.Actions.Contains(action) || a.Actions.Contains("*")));
}

using Berth.Registry.Configuration;

namespace Berth.Registry.Auth;

/// <summary>
/// Token auth's policy: who gets which actions. Access rules name an account pattern ("*" for any signed-in user,
/// "anonymous" for requests without credentials), a repository-name pattern and the actions granted.
/// </summary>
public sealed class TokenService(RegistrySettings settings, JsonWebToken jwt, Htpasswd? users)
{
    public const string Anonymous = "anonymous";

    public RegistrySettings Settings { get; } = settings;
    public JsonWebToken Jwt { get; } = jwt;

    /// <summary>The account for these credentials: null when they are wrong, <see cref="Anonymous"/> when absent.</summary>
    public string? Authenticate((string User, string Password)? credentials)
    {
        if (credentials is not { } c) return Anonymous;
        return users is not null && users.Verify(c.User, c.Password) ? c.User : null;
    }

    /// <summary>A refresh token for <paramref name="account"/>: a JWT for an audience no registry request accepts.</summary>
    public string? IssueRefreshToken(string account, DateTimeOffset now)
    {
        if (account == Anonymous || users?.Stamp(account) is not { } stamp) return null;
        return Jwt.Sign(new TokenClaims(Settings.TokenIssuer, account, RefreshAudience(stamp), now, now + Settings.TokenRefreshExpiration, []));
    }

    /// <summary>The account a refresh token was issued to, or null with a reason (forged, expired, password changed).</summary>
    public string? AccountOfRefreshToken(string refreshToken, DateTimeOffset now, out string reason)
    {
        var claims = Jwt.Verify(refreshToken, now, out reason);
        if (claims is null) return null;
        if (claims.Issuer != Settings.TokenIssuer || claims.Subject.Length == 0
            || users?.Stamp(claims.Subject) is not { } stamp || claims.Audience != RefreshAudience(stamp))
        {
            reason = "not a refresh token of this service, or the user's password changed";
            return null;
        }
        return claims.Subject;
    }

    private string RefreshAudience(string stamp) => $"{Settings.TokenService} refresh {stamp}";

    /// <summary>What of <paramref name="requested"/> the rules give <paramref name="account"/>.</summary>
    public GrantedAccess Grant(string account, AccessRequest requested)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in Settings.TokenAccess)
        {
            bool accountMatches = rule.Account == Anonymous ? account == Anonymous
                : account != Anonymous && Globs.Match(rule.Account, account);
            if (!accountMatches) continue;
            string target = requested.Type == "registry" ? "registry:" + requested.Name : requested.Name;
            if (!Globs.Match(rule.Name, target)) continue;
            foreach (var action in requested.Actions)
                if (rule.Actions.Contains("*") || rule.Actions.Contains(action)) granted.Add(action);
        }
        return new GrantedAccess(requested.Type, requested.Name, requested.Actions.Where(granted.Contains).ToList());
    }

    /// <summary>Parses <c>repository:team/app:pull,push</c> (the name may not hold ':'; the type and actions are the ends).</summary>
    public static AccessRequest? ParseScope(string scope)
    {
        int first = scope.IndexOf(':');
        int last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first) return null;
        return new AccessRequest(scope[..first], scope[(first + 1)..last],
            scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}

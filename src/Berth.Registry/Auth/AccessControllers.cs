using Berth.Registry.Configuration;

namespace Berth.Registry.Auth;

/// <summary>Picks the auth mode from the settings: none, htpasswd (basic) or token (bearer, with the token endpoint).</summary>
public static class AccessControllers
{
    public static (IAccessController Access, TokenEndpoint? Endpoint) Create(RegistrySettings settings)
    {
        if (settings.HtpasswdPath is { } path)
            return (new HtpasswdAccess(new Htpasswd(path), settings.HtpasswdRealm), null);
        if (settings.TokenAuth)
        {
            var key = JsonWebToken.LoadOrCreateKey(settings.TokenKeyPath ?? Path.Combine(settings.Root, "token-key.pem"));
            var users = settings.TokenUsersPath is { } usersPath ? new Htpasswd(usersPath) : null;
            var service = new TokenService(settings, new JsonWebToken(key), users);
            return (new TokenAccess(service), new TokenEndpoint(service));
        }
        return (new OpenAccess(), null);
    }
}

using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Auth;

/// <summary>Basic auth against an htpasswd file: any valid user may do anything, as in docker-registry.</summary>
public sealed class HtpasswdAccess(Htpasswd users, string realm) : IAccessController
{
    public ValueTask<Grant> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRequest> needed)
    {
        var credentials = Htpasswd.ParseBasic(context.Request.Headers.Authorization);
        if (credentials is { } c && users.Verify(c.User, c.Password)) return ValueTask.FromResult(new Grant(c.User, static (_, _, _) => true));
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{realm}\"";
        throw RegistryErrors.Create(ErrorCode.Unauthorized,
            credentials is null ? "authentication required" : $"user \"{credentials.Value.User}\": wrong user name or password");
    }
}

using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Auth;

/// <summary>Placeholder until token auth lands in this branch.</summary>
public sealed class TokenEndpoint
{
    public Task HandleAsync(HttpContext context) => throw Oci.Errors.BerthException.NotImplemented("token endpoint: not implemented yet");
}

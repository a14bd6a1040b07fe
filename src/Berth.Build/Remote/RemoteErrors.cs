using Berth.Api.BuildContext.Remote;
using Berth.Oci.Errors;

namespace Berth.Build.Remote;

/// <summary>A failed fetch as Docker answers it: the remote server's 404, 400, 401 and 403 keep their meaning, the rest is 500.</summary>
public static class RemoteErrors
{
    public static BerthException ToBerth(RemoteContextException e, string prefix = "") => e.HttpStatus switch
    {
        404 => BerthException.NotFound(prefix + e.Message),
        400 => BerthException.Invalid(prefix + e.Message),
        401 => BerthException.Unauthorized(prefix + e.Message),
        403 => BerthException.Forbidden(prefix + e.Message),
        _ => BerthException.Internal(prefix + e.Message),
    };
}

namespace Berth.Oci.Errors;

/// <summary>
/// The one error vocabulary of Berth. Every failure that reaches a client is one of these kinds;
/// the daemon and the registry each map the kind to HTTP in exactly one place.
/// </summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    NotModified,
    Unauthorized,
    Forbidden,
    Unavailable,
    NotImplemented,
    Internal,
}

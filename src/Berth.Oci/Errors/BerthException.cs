namespace Berth.Oci.Errors;

/// <summary>A failure with a kind from <see cref="ErrorKind"/> and a message naming the object it is about.</summary>
public sealed class BerthException(ErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ErrorKind Kind { get; } = kind;

    public static BerthException Invalid(string message) => new(ErrorKind.Invalid, message);
    public static BerthException NotFound(string message) => new(ErrorKind.NotFound, message);
    public static BerthException Conflict(string message) => new(ErrorKind.Conflict, message);
    public static BerthException NotModified(string message) => new(ErrorKind.NotModified, message);
    public static BerthException Unauthorized(string message) => new(ErrorKind.Unauthorized, message);
    public static BerthException Forbidden(string message) => new(ErrorKind.Forbidden, message);
    public static BerthException Unavailable(string message) => new(ErrorKind.Unavailable, message);
    public static BerthException NotImplemented(string message) => new(ErrorKind.NotImplemented, message);
    public static BerthException Internal(string message, Exception? inner = null) => new(ErrorKind.Internal, message, inner);
}

using Berth.Oci.Errors;

namespace Berth.Registry.Distribution;

/// <summary>
/// Builds the <see cref="BerthException"/>s the registry throws, tagged with the spec's error code so that
/// <see cref="Http.ErrorResponder"/> can answer with it. Code that is not registry-specific throws plain
/// BerthExceptions; those are mapped from their <see cref="ErrorKind"/>.
/// </summary>
public static class RegistryErrors
{
    private const string CodeKey = "berth.registry.code";
    private const string StatusKey = "berth.registry.status";

    public static BerthException Create(ErrorCode code, string message, int? status = null, Exception? inner = null)
    {
        var exception = new BerthException(KindOf(code), message, inner);
        exception.Data[CodeKey] = code;
        if (status is not null) exception.Data[StatusKey] = status.Value;
        return exception;
    }

    /// <summary>Tags an exception thrown by shared code (e.g. the content store) with the code it means here.</summary>
    public static BerthException As(this BerthException exception, ErrorCode code, int? status = null)
    {
        exception.Data[CodeKey] = code;
        if (status is not null) exception.Data[StatusKey] = status.Value;
        return exception;
    }

    public static (ErrorCode Code, int Status) Classify(BerthException exception)
    {
        var code = exception.Data[CodeKey] is ErrorCode tagged ? tagged : CodeOf(exception.Kind);
        int status = exception.Data[StatusKey] is int explicitStatus ? explicitStatus : code.Status();
        return (code, status);
    }

    public static BerthException BlobUnknown(string digest) => Create(ErrorCode.BlobUnknown, $"blob unknown to registry: {digest}");
    public static BerthException ManifestUnknown(string name, string reference) =>
        Create(ErrorCode.ManifestUnknown, $"manifest unknown: {name}:{reference}");
    public static BerthException NameUnknown(string name) => Create(ErrorCode.NameUnknown, $"repository name not known to registry: {name}");
    public static BerthException NameInvalid(string name) => Create(ErrorCode.NameInvalid, $"invalid repository name: \"{name}\"");
    public static BerthException UploadUnknown(string id) => Create(ErrorCode.BlobUploadUnknown, $"blob upload unknown to registry: {id}");
    public static BerthException DigestInvalid(string message) => Create(ErrorCode.DigestInvalid, message);
    public static BerthException ManifestInvalid(string message) => Create(ErrorCode.ManifestInvalid, message);
    public static BerthException Unsupported(string message) => Create(ErrorCode.Unsupported, message);

    private static ErrorKind KindOf(ErrorCode code) => code.Status() switch
    {
        404 => ErrorKind.NotFound,
        401 => ErrorKind.Unauthorized,
        403 => ErrorKind.Forbidden,
        405 => ErrorKind.NotImplemented,
        503 or 429 => ErrorKind.Unavailable,
        500 => ErrorKind.Internal,
        _ => ErrorKind.Invalid,
    };

    private static ErrorCode CodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => ErrorCode.NameUnknown,
        ErrorKind.Unauthorized => ErrorCode.Unauthorized,
        ErrorKind.Forbidden => ErrorCode.Denied,
        ErrorKind.NotImplemented => ErrorCode.Unsupported,
        ErrorKind.Unavailable => ErrorCode.Unavailable,
        ErrorKind.Invalid or ErrorKind.Conflict => ErrorCode.BlobUploadInvalid,
        _ => ErrorCode.Unknown,
    };
}

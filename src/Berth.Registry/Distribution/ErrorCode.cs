namespace Berth.Registry.Distribution;

/// <summary>The error codes of the OCI distribution spec (plus the few Docker's registry adds that clients know).</summary>
public enum ErrorCode
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    RangeInvalid,
    TagInvalid,
    Unavailable,
    PaginationNumberInvalid,
    Unknown,
}

public static class ErrorCodes
{
    public static string Wire(this ErrorCode code) => code switch
    {
        ErrorCode.BlobUnknown => "BLOB_UNKNOWN",
        ErrorCode.BlobUploadInvalid => "BLOB_UPLOAD_INVALID",
        ErrorCode.BlobUploadUnknown => "BLOB_UPLOAD_UNKNOWN",
        ErrorCode.DigestInvalid => "DIGEST_INVALID",
        ErrorCode.ManifestBlobUnknown => "MANIFEST_BLOB_UNKNOWN",
        ErrorCode.ManifestInvalid => "MANIFEST_INVALID",
        ErrorCode.ManifestUnknown => "MANIFEST_UNKNOWN",
        ErrorCode.NameInvalid => "NAME_INVALID",
        ErrorCode.NameUnknown => "NAME_UNKNOWN",
        ErrorCode.SizeInvalid => "SIZE_INVALID",
        ErrorCode.Unauthorized => "UNAUTHORIZED",
        ErrorCode.Denied => "DENIED",
        ErrorCode.Unsupported => "UNSUPPORTED",
        ErrorCode.TooManyRequests => "TOOMANYREQUESTS",
        ErrorCode.RangeInvalid => "RANGE_INVALID",
        ErrorCode.TagInvalid => "TAG_INVALID",
        ErrorCode.Unavailable => "UNAVAILABLE",
        ErrorCode.PaginationNumberInvalid => "PAGINATION_NUMBER_INVALID",
        _ => "UNKNOWN",
    };

    /// <summary>The HTTP status each code answers with unless the thrower chose another.</summary>
    public static int Status(this ErrorCode code) => code switch
    {
        ErrorCode.BlobUnknown or ErrorCode.BlobUploadUnknown or ErrorCode.ManifestUnknown or ErrorCode.NameUnknown => 404,
        ErrorCode.Unauthorized => 401,
        ErrorCode.Denied => 403,
        ErrorCode.Unsupported => 405,
        ErrorCode.TooManyRequests => 429,
        ErrorCode.RangeInvalid => 416,
        ErrorCode.Unavailable => 503,
        ErrorCode.Unknown => 500,
        _ => 400,
    };
}

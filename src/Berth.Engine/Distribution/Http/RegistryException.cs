using System.Net;
using System.Text;
using System.Text.Json;

namespace Berth.Engine.Distribution.Http;

/// <summary>
/// A failed exchange with a registry, with what the pull and push logic needs to decide (fall back to the next
/// endpoint, resume, or give up) and a message in the words of Docker's registry client. Pull and push turn it into a
/// <see cref="Oci.Errors.BerthException"/> at their boundary.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException(string message, HttpStatusCode? status = null, IReadOnlyList<RegistryErrorEntry>? errors = null, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Errors = errors ?? [];
    }

    public HttpStatusCode? Status { get; }

    /// <summary>The registry was never reached or the connection broke: another endpoint or a retry may do better.</summary>
    public bool IsTransport { get; init; }
    public IReadOnlyList<RegistryErrorEntry> Errors { get; }

    /// <summary>The first error code the registry gave (<c>MANIFEST_UNKNOWN</c>, <c>DENIED</c>, …), if any.</summary>
    public string? Code => Errors.Count > 0 ? Errors[0].Code : null;

    public bool HasCode(string code) => Errors.Any(e => string.Equals(e.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>A registry's refusal that no retry changes (bad request, auth, not found).</summary>
    public bool IsClientError => Status is { } s && (int)s is >= 400 and < 500;

    /// <summary>Builds the error for a non-success response, reading (at most 64 KiB of) its body.</summary>
    public static async Task<RegistryException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body = await ReadLimitedAsync(response, 64 << 10, cancellationToken);
        return FromBody(response.StatusCode, response.ReasonPhrase, body);
    }

    /// <summary>Docker's HandleErrorResponse: 4xx bodies are parsed as error lists; any other status is "unexpected".</summary>
    public static RegistryException FromBody(HttpStatusCode status, string? reason, ReadOnlySpan<byte> body)
    {
        int code = (int)status;
        string statusText = $"{code} {reason ?? ReasonOf(status)}";
        if (code is < 400 or >= 500)
            return new RegistryException($"received unexpected HTTP status: {statusText}", status);

        RegistryErrorBody? parsed = null;
        string? parseError = null;
        try
        {
            parsed = JsonSerializer.Deserialize(body, RegistryHttpJsonContext.Default.RegistryErrorBody);
        }
        catch (JsonException)
        {
            parseError = body.Length == 0 ? "unexpected end of JSON input" : "invalid JSON";
        }
        if (parsed?.Errors is { Count: > 0 } errors)
        {
            string message = errors.Count == 1 ? errors[0].ToString() : "errors:\n" + string.Join("\n", errors) + "\n";
            return new RegistryException(message, status, errors);
        }
        if (!string.IsNullOrEmpty(parsed?.Details))
        {
            var entry = new RegistryErrorEntry { Code = status == HttpStatusCode.Unauthorized ? "UNAUTHORIZED" : status == HttpStatusCode.TooManyRequests ? "TOOMANYREQUESTS" : "UNKNOWN", Message = parsed.Details };
            return new RegistryException(entry.ToString(), status, [entry]);
        }
        if (status == HttpStatusCode.Unauthorized)
        {
            var entry = new RegistryErrorEntry { Code = "UNAUTHORIZED", Message = "authentication required" };
            return new RegistryException(entry.ToString(), status, [entry]);
        }
        string text = Encoding.UTF8.GetString(body.Length > 1024 ? body[..1024] : body);
        return new RegistryException($"error parsing HTTP {code} response body: {parseError ?? "no error details found in HTTP response body"}: \"{text}\"", status);
    }

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.Unauthorized => "Unauthorized",
        _ => status.ToString(),
    };

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            byte[] chunk = new byte[8192];
            int read;
            while (buffer.Length < limit && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken)) > 0)
                buffer.Write(chunk, 0, read);
            return buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return [];
        }
    }
}

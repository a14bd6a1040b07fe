using System.Text.Json;
using Berth.Oci.Errors;

namespace Berth.Daemon.Http;

/// <summary>The one place where Berth's error kinds become HTTP status codes with Docker's <c>{"message": …}</c> body.</summary>
public static class ErrorMapping
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.NotModified => StatusCodes.Status304NotModified,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IApplicationBuilder UseDockerErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested || e is BerthException)
        {
            var (status, message) = e switch
            {
                BerthException b => (StatusOf(b.Kind), b.Message),
                JsonException j => (StatusCodes.Status400BadRequest, JsonMessage(j)),
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                _ => (StatusCodes.Status500InternalServerError, SystemErrorText.Of(e)),
            };
            if (status == 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("berthd").LogError(e, "{Method} {Path}", context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            await WriteAsync(context, status, message);
        }
    });

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status304NotModified) return;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    private static string JsonMessage(JsonException e) =>
        e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) || e.Path is null
            ? e.Message
            : $"{e.Message}";
}

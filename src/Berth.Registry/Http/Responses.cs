using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

public static class Responses
{
    public static Task WriteAsync(HttpResponse response, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(response.HttpContext.Request.Method)) return Task.CompletedTask;
        return response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>An answer without a body (201, 202, 204...).</summary>
    public static void Empty(HttpResponse response, int status)
    {
        response.StatusCode = status;
        if (status != StatusCodes.Status204NoContent) response.ContentLength = 0;
    }
}

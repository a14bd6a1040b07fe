using System.Buffers;
using System.Text.Json;
using Berth.Oci.Errors;
using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>The one place where failures become HTTP: the spec's <c>{"errors":[{"code","message","detail"}]}</c> body.</summary>
public static class ErrorResponder
{
    public static Task WriteAsync(HttpContext context, BerthException exception)
    {
        var (code, status) = RegistryErrors.Classify(exception);
        return WriteAsync(context, status, code, exception.Message);
    }

    public static Task WriteAsync(HttpContext context, int status, ErrorCode code, string message)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Headers are gone already (a blob body was streaming): all that is left is to cut the connection.
            context.Abort();
            return Task.CompletedTask;
        }
        response.StatusCode = status;
        if (context.Request.Method == HttpMethods.Head)
        {
            response.ContentLength = 0;
            return Task.CompletedTask;
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code.Wire());
            writer.WriteString("message", message);
            writer.WriteStartObject("detail");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Responses.WriteAsync(response, status, "application/json; charset=utf-8", buffer.WrittenMemory);
    }
}

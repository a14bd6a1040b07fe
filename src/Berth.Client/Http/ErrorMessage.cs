using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Client.Http;

/// <summary>Extracts the daemon's error text from an error response body (<c>{"message": "..."}</c> or plain text).</summary>
public static class ErrorMessage
{
    public static string From(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty)
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject obj && obj["message"] is JsonValue message
                    && message.TryGetValue<string>(out var text))
                    return text;
            }
            catch (JsonException)
            {
                // Not JSON: a proxy or an old daemon; its text is the best message there is.
            }
            var plain = Encoding.UTF8.GetString(body).Trim();
            if (plain.Length > 0)
                return plain;
        }
        return $"{(int)status} {status}";
    }
}

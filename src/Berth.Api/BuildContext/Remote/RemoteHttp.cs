using System.Net;
using System.Text;

namespace Berth.Api.BuildContext.Remote;

/// <summary>
/// Docker's GetWithStatusError, used for remote build contexts and `docker import URL`: a GET whose 4xx/5xx answer
/// becomes an error carrying the status line and the body the server sent ("failed to GET … with status 404 Not Found: …").
/// </summary>
public static class RemoteHttp
{
    /// <summary>Enough of an error page to explain it, not a whole download.</summary>
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>The response, its headers read and its body not yet; the caller disposes it.</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteContextException($"Get \"{url}\": {Reason(e)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteContextException($"Get \"{url}\": timeout awaiting response headers");
        }
        catch (Exception e) when (e is InvalidOperationException or UriFormatException or NotSupportedException)
        {
            throw new RemoteContextException($"parse \"{url}\": {e.Message}");
        }
        int status = (int)response.StatusCode;
        if (status < 400) return response;
        using (response)
        {
            string message = $"failed to GET {url} with status {status} {StatusText(response)}";
            string body;
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var buffer = new byte[MaxErrorBody];
                int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                body = Encoding.UTF8.GetString(buffer, 0, read).Trim();
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new RemoteContextException(message + ": error reading body", status);
            }
            throw new RemoteContextException($"{message}: {body}", status);
        }
    }

    /// <summary>The reason phrase the server sent (Go prints the status line's text), else the standard one.</summary>
    private static string StatusText(HttpResponseMessage response)
        => !string.IsNullOrEmpty(response.ReasonPhrase) ? response.ReasonPhrase
            : ((HttpStatusCode)response.StatusCode).ToString();

    private static string Reason(HttpRequestException e)
        => e.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? inner.Message : e.Message;
}

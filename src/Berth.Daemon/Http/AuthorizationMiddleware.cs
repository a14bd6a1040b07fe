using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Berth.Engine.Plugins.Authz;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Daemon.Http;

/// <summary>
/// Authorization plugins between the client and every endpoint, as dockerd's authz middleware: the request (method,
/// URI, headers without credentials, a JSON body under 1 MiB) is put to each plugin before it is served, and the
/// answer after. The answer is held back until the plugins allow it, unless it streams (a flush, a hijack, or more
/// than 1 MiB): a stream reaches the client as it is made, and the plugins see only its status and headers.
/// </summary>
public static class AuthorizationMiddleware
{
    /// <summary>dockerd's limit for bodies shown to a plugin.</summary>
    public const int MaxBodySize = 1 << 20;

    public static IApplicationBuilder UseAuthorizationPlugins(this IApplicationBuilder app, AuthorizationPlugins plugins) => app.Use(async (context, next) =>
    {
        var names = plugins.Names;
        if (names.Count == 0 || SwarmAgentGate.IsAgentRequest(context))
        {
            await next(context);
            return;
        }
        var ct = context.RequestAborted;
        var request = await DescribeRequestAsync(context, ct);
        await plugins.AuthorizeRequestAsync(names, request, ct);

        var original = context.Response.Body;
        await using var held = new HeldResponse(original);
        context.Response.Body = held;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        request.ResponseStatusCode = context.Response.StatusCode;
        request.ResponseHeaders = Flatten(context.Response.Headers);
        if (held.Streamed || context.Response.HasStarted) // a flush, or a hijacked connection
        {
            // Too late to withhold: the plugins are told, as dockerd tells them, and the stream ends as it is.
            try { await plugins.AuthorizeResponseAsync(names, request, ct); }
            catch (Berth.Oci.Errors.BerthException) { }
            return;
        }
        if (IsJson(context.Response.ContentType) && !IsAuth(context)) request.ResponseBody = held.Held.ToArray();
        try
        {
            await plugins.AuthorizeResponseAsync(names, request, ct);
        }
        catch (Berth.Oci.Errors.BerthException)
        {
            context.Response.Headers.Clear();
            throw;
        }
        await held.ReleaseAsync(ct);
    });

    private static async Task<AuthzRequest> DescribeRequestAsync(HttpContext context, CancellationToken ct)
    {
        var certificate = context.Connection.ClientCertificate;
        var request = new AuthzRequest
        {
            User = certificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false) ?? "",
            UserAuthNMethod = certificate is null ? "" : "TLS",
            RequestMethod = context.Request.Method,
            RequestURI = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString,
            RequestHeaders = Flatten(context.Request.Headers),
        };
        long? length = context.Request.ContentLength;
        if (IsJson(context.Request.ContentType) && !IsAuth(context) && length is > 0 and < MaxBodySize)
        {
            context.Request.EnableBuffering();
            var body = new byte[length.Value];
            await context.Request.Body.ReadExactlyAsync(body, ct);
            context.Request.Body.Position = 0;
            request.RequestBody = body;
        }
        return request;
    }

    /// <summary>Headers as dockerd hands them to plugins: one value per name (the last), credentials left out.</summary>
    private static Dictionary<string, string> Flatten(IHeaderDictionary headers)
    {
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("X-Registry-Auth", StringComparison.OrdinalIgnoreCase)
                || name.Equals("X-Registry-Config", StringComparison.OrdinalIgnoreCase))
                continue;
            if (values.Count > 0) flat[name] = values[^1] ?? "";
        }
        return flat;
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType == "application/json";

    /// <summary>POST /auth carries a password: its bodies are never shown to plugins.</summary>
    private static bool IsAuth(HttpContext context) => context.Request.Path.Value?.EndsWith("/auth", StringComparison.Ordinal) == true;

    /// <summary>The answer's body, held until the plugins allow it or until it turns out to be a stream.</summary>
    private sealed class HeldResponse(Stream inner) : Stream
    {
        public MemoryStream Held { get; } = new();
        public bool Streamed { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Streamed)
            {
                await inner.WriteAsync(buffer, cancellationToken);
                return;
            }
            Held.Write(buffer.Span);
            if (Held.Length > MaxBodySize) await StreamFromHereAsync(cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        /// <summary>A flush means the endpoint streams (events, logs -f, progress): what is held goes out, and the rest follows as written.</summary>
        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (!Streamed) await StreamFromHereAsync(cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        private async Task StreamFromHereAsync(CancellationToken cancellationToken)
        {
            Streamed = true;
            await inner.WriteAsync(Held.GetBuffer().AsMemory(0, (int)Held.Length), cancellationToken);
            Held.SetLength(0);
        }

        /// <summary>The plugins allowed the answer: it goes to the client.</summary>
        public async Task ReleaseAsync(CancellationToken cancellationToken)
        {
            if (Held.Length > 0) await inner.WriteAsync(Held.GetBuffer().AsMemory(0, (int)Held.Length), cancellationToken);
            Held.SetLength(0);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

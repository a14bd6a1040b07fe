using System.Net;
using System.Net.Sockets;

namespace Berth.IntegrationTests.Build.Remote;

/// <summary>An HTTP server on 127.0.0.1 and a free port, serving fixed files by path (404 for anything else).</summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Dictionary<string, (byte[] Content, string? ContentType)> _files = new(StringComparer.Ordinal);
    private readonly Task _serving;

    public LoopbackHttpServer()
    {
        // The free port may be taken between the probe and the start by a server of another test: then try another.
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Abort();
            }
        }
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    public LoopbackHttpServer Serve(string path, byte[] content, string? contentType = null)
    {
        lock (_files) _files[path] = (content, contentType);
        return this;
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            (byte[] Content, string? ContentType) file;
            bool found;
            lock (_files) found = _files.TryGetValue(context.Request.Url!.AbsolutePath.TrimStart('/'), out file);
            using var response = context.Response;
            try
            {
                if (!found)
                {
                    response.StatusCode = 404;
                    await response.OutputStream.WriteAsync("no such file\n"u8.ToArray());
                    continue;
                }
                if (file.ContentType is not null) response.ContentType = file.ContentType;
                response.ContentLength64 = file.Content.Length;
                await response.OutputStream.WriteAsync(file.Content);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // the client went away
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // closing a listener whose port another took over: nothing is left to close
        }
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}

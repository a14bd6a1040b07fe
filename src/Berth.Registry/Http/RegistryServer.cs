using System.Security.Cryptography.X509Certificates;
using Berth.Registry.Auth;
using Berth.Registry.Configuration;
using Berth.Registry.Operations;
using Berth.Registry.Proxy;
using Berth.Registry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Registry.Http;

/// <summary>Builds and runs the Kestrel host for <c>berth-registry serve</c>; SIGTERM/SIGINT drain in-flight requests.</summary>
public static class RegistryServer
{
    public static async Task<int> RunAsync(RegistrySettings settings)
    {
        var storage = new RegistryStorage(settings.Root);
        storage.Recover();
        var metrics = new RegistryMetrics();
        var (access, token) = AccessControllers.Create(settings);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        UpstreamCache? upstream = settings.ProxyRemoteUrl is { } remote
            ? new UpstreamCache(new UpstreamClient(http, new Uri(remote), settings.ProxyUsername, settings.ProxyPassword), storage, settings.ProxyTagTtl)
            : null;
        var services = new RegistryServices(settings, storage, access, metrics, upstream);
        await using var accessLog = settings.AccessLog ? new AccessLog(Console.OpenStandardOutput(), metrics) : null;
        var app = new RegistryApp(services, accessLog, token);

        // Not watching the working directory recursively for an appsettings.json the registry does not use.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.DrainTimeout);
        var endpoint = ListenAddress.Parse(settings.Addr);
        X509Certificate2? certificate = settings.TlsCertificate is { } cert
            ? X509Certificate2.CreateFromPemFile(cert, settings.TlsKey)
            : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            // Let the next piece of a blob be read while the previous one is still being sent (the default, 64 KiB,
            // makes every flush wait for the socket).
            kestrel.Limits.MaxResponseBufferSize = 1 << 20;
            kestrel.Listen(endpoint, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        await using var web = builder.Build();
        web.Run(app.HandleAsync);

        using var purge = new CancellationTokenSource();
        var purging = PurgeUploadsAsync(storage, settings, purge.Token);
        await web.StartAsync();
        var addresses = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.Error.WriteLine($"berth-registry: listening on {string.Join(", ", addresses)} (root {settings.Root})");
        await web.WaitForShutdownAsync();
        await purge.CancelAsync();
        await purging;
        return 0;
    }

    private static async Task PurgeUploadsAsync(RegistryStorage storage, RegistrySettings settings, CancellationToken cancellationToken)
    {
        if (settings.UploadPurgeInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(settings.UploadPurgeInterval);
        try
        {
            do
            {
                int purged = storage.Uploads.PurgeStartedBefore(DateTimeOffset.UtcNow - settings.UploadPurgeAge);
                if (purged > 0) Console.Error.WriteLine($"berth-registry: purged {purged} stale upload(s)");
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}

using Berth.Daemon.Endpoints;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Oci.Errors;

namespace Berth.Daemon;

public static class Program
{
    private static readonly TimeSpan StartupPagesDelay = TimeSpan.FromSeconds(3);

    public static async Task<int> Main(string[] args)
    {
        DaemonOptions options;
        try
        {
            options = DaemonOptions.Parse(args);
        }
        catch (BerthException e)
        {
            Console.Error.WriteLine($"berthd: {e.Message}");
            return 2;
        }
        try
        {
            return await RunAsync(options);
        }
        catch (BerthException e)
        {
            Console.Error.WriteLine($"berthd: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(DaemonOptions options)
    {
        // The host would otherwise watch its content root (the working directory, all of it, recursively) for changes to
        // an appsettings.json berthd does not use: with the data root below the working directory, each log write
        // woke a watcher thread.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff "; });
        DaemonLogLevel.Set(options);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter((_, _, level) => DaemonLogLevel.AllowsFramework(level));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // image loads and imports are as large as the images
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            kestrel.AddServerHeader = false;
            Listeners.Configure(kestrel, options);
            if (options.MetricsAddress.Length > 0) MetricsListener.Configure(kestrel, options.MetricsAddress);
        });

        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff "; })
            .SetMinimumLevel(LogLevel.Trace)
            .AddFilter((_, _, level) => DaemonLogLevel.AllowsDaemon(level)));
        var logger = loggerFactory.CreateLogger("berthd");
        foreach (string key in options.IgnoredKeys)
            logger.LogWarning("{File}: \"{Key}\" is not supported by berthd and has no effect", options.ConfigFile, key);
        uint? socketGroup = SocketGroup.Resolve(options, logger);
        PidFile.Acquire(options.PidFile);
        var services = new DaemonServices(options, logger);
        services.Containers.Store.Load();
        // Plugins first, as dockerd restores them before containers: volumes and containers may need their drivers.
        await services.ManagedPlugins.RecoverAsync(CancellationToken.None);
        services.Volumes.Recover();
        await services.Networks.InitializeAsync(CancellationToken.None);
        await services.Containers.RecoverAsync(CancellationToken.None);
        builder.Services.AddSingleton(services);

        var app = builder.Build();
        using var idleTrim = new IdleMemoryTrim();
        idleTrim.Observe(app);
        app.UseMetricsListener(services);
        app.UseDockerErrors();
        app.UseAuthorizationPlugins(services.Authorization);
        app.UseApiVersions();
        app.UseSwarmAgentGate();
        app.UseWebSockets();
        app.UseRouting();
        SystemEndpoints.Map(app, services);
        EventEndpoints.Map(app, services);
        ImageEndpoints.Map(app, services);
        DistributionEndpoints.Map(app, services);
        SearchEndpoints.Map(app, services);
        ContainerEndpoints.Map(app, services);
        AttachEndpoints.Map(app, services);
        ExecEndpoints.Map(app, services);
        LogEndpoints.Map(app, services);
        ArchiveEndpoints.Map(app, services);
        CommitEndpoints.Map(app, services);
        BuildEndpoints.Map(app, services);
        NetworkEndpoints.Map(app, services);
        VolumeEndpoints.Map(app, services);
        SwarmEndpoints.Map(app, services);
        SwarmAgentEndpoints.Map(app, services);
        SecretEndpoints.Map(app, services.Swarm);
        PluginEndpoints.Map(app, services);
        UnavailableEndpoints.Map(app);

        app.Lifetime.ApplicationStarted.Register(() => Listeners.AfterStart(options, socketGroup));
        var reload = new DaemonReload(services, logger);
        using var reloadSignal = HangupSignal.OnHangup(reload.Reload);
        app.Lifetime.ApplicationStarted.Register(() => _ = services.Swarm.Orchestrator.RunAsync(app.Lifetime.ApplicationStopping));
        // Once start-up (and whatever the first clients do right away) is over, its code pages need not stay mapped.
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Delay(StartupPagesDelay).ContinueWith(_ => StartupPages.Release(), TaskScheduler.Default));
        app.Lifetime.ApplicationStopping.Register(services.Containers.DetachAll);
        // Containers created ahead of a start that has not come are not left behind (a start would do it all again).
        app.Lifetime.ApplicationStopping.Register(() => services.Containers.DiscardPreparedStartsAsync(TimeSpan.FromSeconds(1)).Wait(TimeSpan.FromSeconds(2)));
        // Streams that never end by themselves (attach, logs -f, events) must not hold a stopping daemon: containers
        // keep running without it, so after a short grace period berthd simply exits.
        app.Lifetime.ApplicationStopping.Register(() => _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ =>
        {
            PidFile.Release(options.PidFile);
            Listeners.Cleanup(options);
            Environment.Exit(0);
        }, TaskScheduler.Default));
        try
        {
            await app.RunAsync();
        }
        finally
        {
            PidFile.Release(options.PidFile);
            Listeners.Cleanup(options);
        }
        return 0;
    }
}

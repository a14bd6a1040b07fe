namespace Berth.Daemon.Hosting;

/// <summary>
/// berthd's log level, read on every log call so that a SIGHUP can change it ("debug", "log-level"). ASP.NET Core's own
/// categories stay at warnings unless the daemon debugs: at information they log every request.
/// </summary>
public static class DaemonLogLevel
{
    private static volatile int _level = (int)LogLevel.Information;

    public static LogLevel Current => (LogLevel)_level;

    public static void Set(DaemonOptions options) => _level = (int)Of(options);

    public static LogLevel Of(DaemonOptions options) => options.Debug ? LogLevel.Debug : options.LogLevel switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Critical, // fatal, panic
    };

    /// <summary>Whether a message of the daemon's own logger is written.</summary>
    public static bool AllowsDaemon(LogLevel level) => level >= Current;

    /// <summary>Whether a message of ASP.NET Core's loggers is written.</summary>
    public static bool AllowsFramework(LogLevel level) => level >= (Current <= LogLevel.Debug ? Current : (LogLevel)Math.Max((int)Current, (int)LogLevel.Warning));
}

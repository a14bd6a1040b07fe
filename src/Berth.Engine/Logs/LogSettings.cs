using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Logs;

/// <summary>
/// A container's logging driver as Docker checks it. Berth's drivers are <c>json-file</c> (the default),
/// <c>local</c> and <c>none</c>, whose file drivers rotate by max-size/max-file and can gzip the rotated files, and
/// <c>syslog</c>, <c>gelf</c>, <c>fluentd</c> and <c>journald</c>, whose lines the shim sends to a server
/// (<see cref="Forward"/>) while it keeps Docker's "dual logging" cache, a local-driver file that the logs endpoint
/// reads (cache-max-size 20m, cache-max-file 5, cache-compress true; none with cache-disabled=true). Options
/// are checked when the container is created (unknown option: 400) and their values when it starts (a bad size: 500),
/// in the same places and with the same messages as Docker. Any other name is a logging plugin's
/// (<see cref="Plugins.LogDriver.LogPlugins"/>), whose existence the create checks, which takes any option (dockerd has
/// no validator for plugins), and whose lines the shim also keeps in the dual-logging cache unless the plugin reads
/// them back itself.
/// </summary>
/// <remarks>
/// Docker's local driver keeps its files in a protobuf framing that only dockerd reads ("designed to be exclusively
/// accessed by the Docker daemon"); Berth's local driver writes the same lines as json-file, under local's file name,
/// defaults and options, so the one reader serves both.
/// </remarks>
public sealed partial record LogSettings(string Driver, long MaxSize, int MaxFiles, bool Compress = false, bool NonBlocking = false,
    Runtime.Shim.LogForwardSpec? Forward = null, bool CacheDisabled = false)
{
    public const string JsonFile = "json-file", Local = "local", None = "none";

    /// <summary>The local driver's defaults: 20 MiB files, five of them, the rotated ones compressed.</summary>
    private const long LocalMaxSize = 20 * 1024 * 1024;
    private const int LocalMaxFiles = 5;

    /// <summary>Options json-file accepts (Docker's list; those about labels, env and tags concern other drivers' output).</summary>
    private static readonly HashSet<string> JsonFileOptions =
        ["max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag"];

    private static readonly HashSet<string> LocalOptions = ["max-size", "max-file", "compress"];

    /// <summary>Drivers Docker ships that Berth has not built: refused as not implemented rather than unknown.</summary>
    private static readonly HashSet<string> DockerDrivers = ["awslogs", "splunk", "etwlogs", "gcplogs", "logentries"];

    /// <summary>The drivers /info lists, sorted as dockerd lists them.</summary>
    public static readonly IReadOnlyList<string> Drivers =
        [RemoteLogOptions.Fluentd, RemoteLogOptions.Gelf, RemoteLogOptions.Journald, JsonFile, Local, RemoteLogOptions.Syslog];

    /// <summary>The dual-logging cache's defaults (the local driver's): 20 MB files, five of them, compressed.</summary>
    private const long CacheMaxSize = 20 * 1000 * 1000;
    private const int CacheMaxFiles = 5;

    /// <summary>Whether the driver is a logging plugin (any name that is not one of Docker's own drivers).</summary>
    public static bool IsPlugin(string? driver) =>
        !string.IsNullOrEmpty(driver) && driver is not (JsonFile or Local or None) && !RemoteLogOptions.Handles(driver) && !DockerDrivers.Contains(driver);

    public bool Plugin => IsPlugin(Driver);

    /// <summary>Whether the container's output goes to a file the logs endpoint reads.</summary>
    public bool Enabled => Driver != None && !CacheDisabled;

    /// <summary>Checks a create request's LogConfig (its Type already defaulted); that a plugin's name is a logging plugin is the caller's to check.</summary>
    public static void Validate(LogConfig config)
    {
        var options = config.Config ?? [];
        ValidateDeliveryMode(options);
        switch (config.Type)
        {
            case JsonFile:
                foreach (var key in DriverOptions(options))
                    if (!JsonFileOptions.Contains(key)) throw BerthException.Invalid($"unknown log opt '{key}' for json-file log driver");
                return;
            case Local:
                foreach (var key in DriverOptions(options))
                    if (!LocalOptions.Contains(key)) throw BerthException.Invalid($"unknown log opt '{key}' for log driver local");
                return;
            case None:
                return;
            case var remote when RemoteLogOptions.Handles(remote):
                RemoteLogOptions.Validate(remote, DriverOptions(options).ToDictionary(key => key, key => options[key]));
                return;
            case var plugin when IsPlugin(plugin):
                DriverOptions(options); // cache-disabled is checked, as for every driver that keeps the cache
                return;
            default:
                if (DockerDrivers.Contains(config.Type))
                    throw BerthException.NotImplemented($"logging driver \"{config.Type}\" is not supported by Berth (json-file, local, none, syslog, gelf, fluentd and journald are)");
                throw PluginNotFound(config.Type);
        }
    }

    public static BerthException PluginNotFound(string? driver) =>
        BerthException.Invalid($"error looking up logging plugin {driver}: plugin \"{driver}\" not found");

    /// <summary>
    /// The options every driver takes (dockerd checks them before the driver's own): <c>mode</c>, blocking (the
    /// default: a container whose log cannot keep up waits) or non-blocking (its lines are dropped instead), and
    /// <c>max-buffer-size</c>, non-blocking only.
    /// </summary>
    private static void ValidateDeliveryMode(Dictionary<string, string> options)
    {
        string mode = options.GetValueOrDefault("mode", "");
        if (mode is not ("" or "blocking" or "non-blocking")) throw BerthException.Invalid($"logger: logging mode not supported: {mode}");
        if (!options.TryGetValue("max-buffer-size", out string? buffer)) return;
        if (mode != "non-blocking") throw BerthException.Invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
        if (FromHumanSize(buffer) is null) throw BerthException.Invalid($"error parsing option max-buffer-size: invalid size: '{buffer}'");
    }

    /// <summary>
    /// The driver's own options: without the common ones and the dual-logging cache's (<c>cache-*</c>, which dockerd
    /// takes with any driver; it checks only cache-disabled at create).
    /// </summary>
    private static IEnumerable<string> DriverOptions(Dictionary<string, string> options)
    {
        if (options.TryGetValue("cache-disabled", out string? disabled) && GoText.GoBool.Parse(disabled) is null)
            throw BerthException.Invalid($"invalid value for option cache-disabled: {disabled}");
        return options.Keys.Where(key => key is not ("mode" or "max-buffer-size") && !key.StartsWith("cache-", StringComparison.Ordinal));
    }

    /// <summary>
    /// The settings a start of <paramref name="container"/> uses; a bad value fails the start as Docker's "failed to
    /// initialize logging driver". Without a container (the daemon's default checked at boot) a forwarding driver's
    /// server is neither resolved nor tried; with <paramref name="tryServer"/> false (a start prepared ahead: the start
    /// itself tries) it is resolved but not connected to.
    /// </summary>
    public static LogSettings Resolve(LogConfig? config, Containers.ContainerRecord? container = null, bool tryServer = true)
    {
        var options = config?.Config ?? [];
        bool nonBlocking = options.GetValueOrDefault("mode") == "non-blocking";
        return config?.Type switch
        {
            None => new LogSettings(None, 0, 1),
            Local => ResolveLocal(options) with { NonBlocking = nonBlocking },
            { } remote when RemoteLogOptions.Handles(remote) => ResolveCache(remote, options) with
            {
                NonBlocking = nonBlocking,
                Forward = container is null ? null : RemoteLogTarget.Resolve(remote, options, container, tryServer),
            },
            // The plugin's FIFO (Forward) is the start's to make: it calls the plugin.
            { } plugin when IsPlugin(plugin) => ResolveCache(plugin, options) with { NonBlocking = nonBlocking },
            _ => ResolveJsonFile(options) with { NonBlocking = nonBlocking },
        };
    }

    /// <summary>Docker's dual-logging cache of a forwarding driver: rotated and compressed as the local driver's files.</summary>
    private static LogSettings ResolveCache(string driver, Dictionary<string, string> options)
    {
        bool disabled = CacheDisabledIn(options);
        // dockerd starts with a malformed cache-max-size, -file or -compress too (on its defaults).
        long maxSize = options.TryGetValue("cache-max-size", out string? size) && FromHumanSize(size) is long parsed && parsed > 0 ? parsed : CacheMaxSize;
        int maxFiles = options.TryGetValue("cache-max-file", out string? files) && int.TryParse(files, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : CacheMaxFiles;
        bool compress = !options.TryGetValue("cache-compress", out string? flag) || GoText.GoBool.Parse(flag) != false;
        return new LogSettings(driver, maxSize, maxFiles, compress && maxFiles > 1, CacheDisabled: disabled);
    }

    private static LogSettings ResolveJsonFile(Dictionary<string, string> options)
    {
        long maxSize = 0;
        if (options.TryGetValue("max-size", out string? size))
        {
            maxSize = FromHumanSize(size) ?? throw Failed($"invalid size: '{size}'");
            if (maxSize <= 0) throw Failed("max-size must be a positive number");
        }
        int maxFiles = 1;
        if (options.TryGetValue("max-file", out string? files))
        {
            if (!int.TryParse(files, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out maxFiles))
                throw Failed($"strconv.Atoi: parsing \"{files}\": invalid syntax");
            if (maxFiles < 1) throw Failed("max-file cannot be less than 1");
        }
        bool compress = false;
        if (options.TryGetValue("compress", out string? text))
        {
            compress = ParseBoolOrThrow(text, Failed);
            if (compress && (maxFiles < 2 || maxSize <= 0)) throw Failed("compress cannot be true when max-file is less than 2 or max-size is not set");
        }
        return new LogSettings(JsonFile, maxSize, maxSize > 0 ? maxFiles : 1, compress);
    }

    private static LogSettings ResolveLocal(Dictionary<string, string> options)
    {
        long maxSize = LocalMaxSize;
        if (options.TryGetValue("max-size", out string? size))
            maxSize = FromHumanSize(size) ?? throw Failed($"invalid value for max-size: {size}: invalid size: '{size}'");
        int maxFiles = LocalMaxFiles;
        if (options.TryGetValue("max-file", out string? files))
        {
            if (!int.TryParse(files, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out maxFiles))
                throw Failed($"invalid value for max-file: {files}: strconv.Atoi: parsing \"{files}\": invalid syntax");
            if (maxFiles < 0) throw Failed("max file count cannot be less than 0");
        }
        bool compress = true;
        if (options.TryGetValue("compress", out string? text))
            compress = GoText.GoBool.Parse(text) ?? throw Failed($"error reading compress log option: strconv.ParseBool: parsing \"{text}\": invalid syntax");
        if (compress && maxFiles <= 1) throw Failed("compression cannot be enabled when max file count is 1");
        // A size of 0 means no limit; a count of 0 is one file, as for json-file.
        return new LogSettings(Local, maxSize, maxSize > 0 ? Math.Max(1, maxFiles) : 1, compress && maxSize > 0);
    }

    /// <summary>Whether a container with this LogConfig can be read back (docker logs); Docker's 501 otherwise (a plugin that reads its lines back is asked first).</summary>
    public static void RequireReadable(LogConfig? config)
    {
        bool cacheDisabled = config?.Type is { } type && (RemoteLogOptions.Handles(type) || IsPlugin(type)) && CacheDisabledIn(config.Config);
        if (config?.Type == None || cacheDisabled) throw BerthException.NotImplemented("configured logging driver does not support reading");
    }

    /// <summary>Whether a forwarding driver's options turn its dual-logging cache off (a malformed value does not).</summary>
    private static bool CacheDisabledIn(Dictionary<string, string>? options) =>
        options is not null && options.TryGetValue("cache-disabled", out string? text) && GoText.GoBool.Parse(text) == true;

    /// <summary>Go's strconv.ParseBool, failing with its message.</summary>
    internal static bool ParseBoolOrThrow(string text, Func<string, BerthException> error) =>
        GoText.GoBool.Parse(text) ?? throw error($"strconv.ParseBool: parsing \"{text}\": invalid syntax");

    /// <summary>go-units FromHumanSize: a decimal size such as "10m", "1.5 GB" or "512"; null when it is not one.</summary>
    internal static long? FromHumanSize(string text)
    {
        var match = HumanSize().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
            return null;
        string unit = match.Groups[2].Value.ToLowerInvariant();
        double multiplier = unit switch
        {
            "k" => 1e3, "m" => 1e6, "g" => 1e9, "t" => 1e12, "p" => 1e15, _ => 1,
        };
        return (long)(value * multiplier);
    }

    internal static BerthException Failed(string why) => BerthException.Internal($"failed to initialize logging driver: {why}");

    [GeneratedRegex(@"^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex HumanSize();
}

using System.Globalization;
using Berth.Oci.Errors;

namespace Berth.Engine.Logs;

/// <summary>
/// The options of the drivers that send lines to a server (syslog, gelf, fluentd, journald), checked at create as
/// dockerd 20.10's drivers check them: in the same order and with the same messages (400).
/// </summary>
internal static class RemoteLogOptions
{
    public const string Syslog = "syslog", Gelf = "gelf", Fluentd = "fluentd", Journald = "journald";

    private static readonly HashSet<string> Attributes = ["env", "env-regex", "labels", "labels-regex", "tag"];

    private static readonly HashSet<string> SyslogOptions =
        [.. Attributes, "syslog-address", "syslog-facility", "syslog-tls-ca-cert", "syslog-tls-cert", "syslog-tls-key", "syslog-tls-skip-verify", "syslog-format"];

    private static readonly HashSet<string> FluentdOptions =
        [.. Attributes, "fluentd-address", "fluentd-buffer-limit", "fluentd-retry-wait", "fluentd-max-retries", "fluentd-async-connect",
            "fluentd-async", "fluentd-sub-second-precision", "fluentd-request-ack"];

    /// <summary>Syslog's facility names and their numbers (Go's log/syslog).</summary>
    internal static readonly Dictionary<string, int> Facilities = new()
    {
        ["kern"] = 0, ["user"] = 1, ["mail"] = 2, ["daemon"] = 3, ["auth"] = 4, ["syslog"] = 5, ["lpr"] = 6, ["news"] = 7,
        ["uucp"] = 8, ["cron"] = 9, ["authpriv"] = 10, ["ftp"] = 11, ["local0"] = 16, ["local1"] = 17, ["local2"] = 18,
        ["local3"] = 19, ["local4"] = 20, ["local5"] = 21, ["local6"] = 22, ["local7"] = 23,
    };

    public static bool Handles(string driver) => driver is Syslog or Gelf or Fluentd or Journald;

    /// <summary>Checks a create request's options for <paramref name="driver"/> (the common ones already removed).</summary>
    public static void Validate(string driver, IReadOnlyDictionary<string, string> options)
    {
        switch (driver)
        {
            case Syslog: ValidateSyslog(options); break;
            case Gelf: ValidateGelf(options); break;
            case Fluentd: ValidateFluentd(options); break;
            case Journald:
                foreach (var key in options.Keys)
                    if (!Attributes.Contains(key)) throw BerthException.Invalid($"unknown log opt '{key}' for journald log driver");
                break;
        }
    }

    private static void ValidateSyslog(IReadOnlyDictionary<string, string> options)
    {
        foreach (var key in options.Keys)
            if (!SyslogOptions.Contains(key)) throw BerthException.Invalid($"unknown log opt '{key}' for syslog log driver");
        var address = RemoteAddress.ParseSyslog(options.GetValueOrDefault("syslog-address", ""));
        if (address is { Network: "unix" or "unixgram" } && !File.Exists(address.Path) && !Directory.Exists(address.Path))
            throw BerthException.Invalid($"stat {address.Path}: no such file or directory");
        SyslogFacility(options);
        SyslogFormat(options);
    }

    internal static int SyslogFacility(IReadOnlyDictionary<string, string> options)
    {
        string name = options.GetValueOrDefault("syslog-facility", "");
        if (name.Length == 0) return Facilities["daemon"];
        if (Facilities.TryGetValue(name, out int facility)) return facility;
        if (int.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number) && number is >= 0 and <= 23) return number;
        throw BerthException.Invalid("invalid syslog facility");
    }

    internal static string SyslogFormat(IReadOnlyDictionary<string, string> options)
    {
        string format = options.GetValueOrDefault("syslog-format", "");
        return format is "" or "rfc3164" or "rfc5424" or "rfc5424micro" ? format : throw BerthException.Invalid("Invalid syslog format");
    }

    private static void ValidateGelf(IReadOnlyDictionary<string, string> options)
    {
        var address = RemoteAddress.ParseGelf(options.GetValueOrDefault("gelf-address", ""));
        foreach (var (key, value) in options)
        {
            switch (key)
            {
                case "gelf-address" or "tag" or "labels" or "labels-regex" or "env" or "env-regex":
                    break;
                case "gelf-compression-level":
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int level) || level is < -1 or > 9)
                        throw UnknownGelfValue(key, value);
                    break;
                case "gelf-compression-type":
                    if (value is not ("gzip" or "zlib" or "none")) throw UnknownGelfValue(key, value);
                    break;
                case "gelf-tcp-max-reconnect" or "gelf-tcp-reconnect-delay":
                    if (address.Network != "tcp") throw BerthException.Invalid($"\"{key}\" is only valid for TCP");
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) || n < 0)
                        throw BerthException.Invalid($"\"{key}\" must be a positive integer");
                    break;
                default:
                    throw BerthException.Invalid($"unknown log opt \"{key}\" for gelf log driver");
            }
        }
        if (address.Network == "tcp" && (options.ContainsKey("gelf-compression-type") || options.ContainsKey("gelf-compression-level")))
            throw BerthException.Invalid("compression is only supported on UDP");
    }

    private static BerthException UnknownGelfValue(string key, string value) =>
        BerthException.Invalid($"unknown value \"{value}\" for log opt \"{key}\" for gelf log driver");

    private static void ValidateFluentd(IReadOnlyDictionary<string, string> options)
    {
        foreach (var key in options.Keys)
            if (!FluentdOptions.Contains(key)) throw BerthException.Invalid($"unknown log opt '{key}' for fluentd log driver");
        RemoteAddress.ParseFluentd(options.GetValueOrDefault("fluentd-address", ""));
        if (options.TryGetValue("fluentd-buffer-limit", out string? limit) && LogSettings.FromHumanSize(limit) is null)
            throw BerthException.Invalid($"invalid size: '{limit}'");
        if (options.TryGetValue("fluentd-max-retries", out string? retries) && !ulong.TryParse(retries, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw BerthException.Invalid($"strconv.ParseUint: parsing \"{retries}\": invalid syntax");
        foreach (var key in (string[])["fluentd-async-connect", "fluentd-async", "fluentd-sub-second-precision", "fluentd-request-ack"])
            if (options.TryGetValue(key, out string? flag)) LogSettings.ParseBoolOrThrow(flag, BerthException.Invalid);
    }
}

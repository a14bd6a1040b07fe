using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Logs;

/// <summary>
/// A container's logging driver as Docker checks it: <c>json-file</c> (the default, with max-size/max-file rotation)
/// and <c>none</c> are Berth's. Options are checked when the container is created (unknown option: 400) and their
/// values when it starts (a bad size: 500), in the same places and with the same messages as Docker.
/// </summary>
public sealed partial record LogSettings(bool Enabled, long MaxSize, int MaxFiles)
{
    public const string JsonFile = "json-file", None = "none";

    /// <summary>Options json-file accepts (Docker's list; those about labels, env and tags concern other drivers' output).</summary>
    private static readonly HashSet<string> JsonFileOptions =
        ["max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag"];

    /// <summary>Drivers Docker ships that Berth has not built: refused as not implemented rather than unknown.</summary>
    private static readonly HashSet<string> DockerDrivers =
        ["local", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "etwlogs", "gcplogs", "logentries"];

    /// <summary>Checks a create request's LogConfig (its Type already defaulted).</summary>
    public static void Validate(LogConfig config)
    {
        switch (config.Type)
        {
            case JsonFile:
                foreach (var (key, value) in config.Config ?? [])
                {
                    if (!JsonFileOptions.Contains(key)) throw BerthException.Invalid($"unknown log opt '{key}' for json-file log driver");
                    if (key == "compress" && value == "true")
                        throw BerthException.NotImplemented("log opt compress=true is not supported by Berth: rotated json-file logs are kept uncompressed");
                }
                return;
            case None:
                return;
            default:
                if (DockerDrivers.Contains(config.Type))
                    throw BerthException.NotImplemented($"logging driver \"{config.Type}\" is not supported by Berth (json-file and none are)");
                throw BerthException.Invalid($"error looking up logging plugin {config.Type}: plugin \"{config.Type}\" not found");
        }
    }

    /// <summary>The settings a start uses; a bad value fails the start as Docker's "failed to initialize logging driver".</summary>
    public static LogSettings Resolve(LogConfig? config)
    {
        if (config?.Type == None) return new LogSettings(false, 0, 1);
        var options = config?.Config ?? [];
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
        return new LogSettings(true, maxSize, maxSize > 0 ? maxFiles : 1);
    }

    /// <summary>Whether a container with this LogConfig can be read back (docker logs); Docker's 501 otherwise.</summary>
    public static void RequireReadable(LogConfig? config)
    {
        if (config?.Type == None) throw BerthException.NotImplemented("configured logging driver does not support reading");
    }

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

    private static BerthException Failed(string why) => BerthException.Internal($"failed to initialize logging driver: {why}");

    [GeneratedRegex(@"^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex HumanSize();
}

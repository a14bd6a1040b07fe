using Berth.Api;
using Berth.Oci.Images;

namespace Berth.Engine.Containers.Health;

/// <summary>
/// A container's effective health check: the probe's argv and Docker's defaults filled in for every zero field.
/// Built from the (already merged) Config.Healthcheck; null when there is nothing to probe (no test, or NONE).
/// </summary>
public sealed record HealthSettings(
    IReadOnlyList<string> Command,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan StartPeriod,
    TimeSpan StartInterval,
    int Retries)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    public const int DefaultRetries = 3;

    public static HealthSettings? From(HealthConfig? config)
    {
        if (config?.Test is not [var kind, .. var rest]) return null;
        IReadOnlyList<string>? command = kind switch
        {
            "CMD" when rest.Count > 0 => rest,
            "CMD-SHELL" when rest.Count > 0 => ["/bin/sh", "-c", string.Join(' ', rest)],
            _ => null, // NONE, or a test Docker would not run either
        };
        if (command is null) return null;
        return new HealthSettings(
            command,
            Nanoseconds(config.Interval, DefaultInterval),
            Nanoseconds(config.Timeout, DefaultTimeout),
            Nanoseconds(config.StartPeriod, TimeSpan.Zero),
            Nanoseconds(config.StartInterval, DefaultStartInterval),
            config.Retries > 0 ? config.Retries : DefaultRetries);
    }

    /// <summary>
    /// Docker's merge of the image's HEALTHCHECK into the container's: no container setting takes the image's whole;
    /// otherwise an empty test and every zero duration or retry count inherit the image's value.
    /// </summary>
    public static HealthConfig? Merge(HealthConfig? container, ImageHealthcheck? image)
    {
        if (image is null) return container;
        if (container is null)
        {
            return new HealthConfig
            {
                Test = image.Test is null ? null : [.. image.Test],
                Interval = image.Interval,
                Timeout = image.Timeout,
                StartPeriod = image.StartPeriod,
                StartInterval = image.StartInterval,
                Retries = image.Retries,
            };
        }
        if (container.Test is not { Count: > 0 }) container.Test = image.Test is null ? null : [.. image.Test];
        if (container.Interval == 0) container.Interval = image.Interval;
        if (container.Timeout == 0) container.Timeout = image.Timeout;
        if (container.StartPeriod == 0) container.StartPeriod = image.StartPeriod;
        if (container.StartInterval == 0) container.StartInterval = image.StartInterval;
        if (container.Retries == 0) container.Retries = image.Retries;
        return container;
    }

    /// <summary>The interval before the next probe: the start interval while still starting within the start period.</summary>
    public TimeSpan NextInterval(string status, TimeSpan sinceStart) =>
        status == HealthState.Starting && sinceStart < StartPeriod ? StartInterval : Interval;

    private static TimeSpan Nanoseconds(long value, TimeSpan fallback) => value > 0 ? TimeSpan.FromTicks(value / 100) : fallback;
}

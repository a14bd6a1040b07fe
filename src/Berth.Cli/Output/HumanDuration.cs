namespace Berth.Cli.Output;

/// <summary>docker/go-units HumanDuration ("Less than a second", "About a minute", "3 hours", "2 weeks").</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds < 1)
            return "Less than a second";
        if (seconds == 1)
            return "1 second";
        if (seconds < 60)
            return $"{seconds} seconds";
        var minutes = (long)duration.TotalMinutes;
        if (minutes == 1)
            return "About a minute";
        if (minutes < 60)
            return $"{minutes} minutes";
        var hours = (long)Math.Round(duration.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1)
            return "About an hour";
        if (hours < 48)
            return $"{hours} hours";
        if (hours < 24 * 7 * 2)
            return $"{hours / 24} days";
        if (hours < 24 * 30 * 2)
            return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2)
            return $"{hours / 24 / 30} months";
        return $"{(long)duration.TotalHours / 24 / 365} years";
    }

    /// <summary>"N units ago" relative to now, as docker's CREATED columns print.</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now) => Format(now - then) + " ago";
}

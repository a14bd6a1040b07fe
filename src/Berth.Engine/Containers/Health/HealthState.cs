namespace Berth.Engine.Containers.Health;

/// <summary>
/// State.Health, persisted with the container: the status, the count of consecutive failures, and the last five
/// probe results. Log is replaced, never changed in place, so that a concurrent save of the record sees a whole list.
/// </summary>
public sealed class HealthState
{
    public const string Starting = "starting";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string None = "none";
    public const int MaxLogEntries = 5;

    public string Status { get; set; } = Starting;
    public int FailingStreak { get; set; }
    public List<HealthLogEntry> Log { get; set; } = [];

    public static bool IsValidStatus(string status) => status is Starting or Healthy or Unhealthy or None;

    /// <summary>A (re)start of the container: starting again with no failures; the old results stay in the log.</summary>
    public void Reset()
    {
        Status = Starting;
        FailingStreak = 0;
    }

    /// <summary>
    /// Records one probe result by Docker's rules: a success is healthy and clears the streak; a failure while still
    /// starting within the start period doesn't count; otherwise the streak grows and reaching the retries is unhealthy.
    /// Returns true when the status changed (a health_status event is due).
    /// </summary>
    public bool Record(HealthLogEntry result, DateTimeOffset containerStartedAt, HealthSettings settings)
    {
        string before = Status;
        if (result.ExitCode == 0)
        {
            FailingStreak = 0;
            Status = Healthy;
        }
        else if (!(Status == Starting && result.Start - containerStartedAt < settings.StartPeriod))
        {
            FailingStreak++;
            if (FailingStreak >= settings.Retries) Status = Unhealthy;
        }
        Log = [.. Log.Skip(Math.Max(0, Log.Count + 1 - MaxLogEntries)), result];
        return Status != before;
    }
}

/// <summary>One probe run: when it started and ended, its exit code (-1 when it could not finish), and its output.</summary>
public sealed record HealthLogEntry(DateTimeOffset Start, DateTimeOffset End, int ExitCode, string Output);

using Berth.Api;
using Berth.Engine.Containers.Health;

namespace Berth.Tests.Health;

public sealed class HealthStateTests
{
    private static readonly DateTimeOffset Started = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static HealthSettings Settings(int retries = 3, int startPeriodSeconds = 0) =>
        HealthSettings.From(new HealthConfig { Test = ["CMD", "true"], Retries = retries, StartPeriod = startPeriodSeconds * 1_000_000_000L })!;

    private static HealthLogEntry Result(int exitCode, double secondsAfterStart) =>
        new(Started.AddSeconds(secondsAfterStart), Started.AddSeconds(secondsAfterStart + 0.1), exitCode, $"exit {exitCode}");

    [Fact]
    public void A_success_is_healthy_and_an_event()
    {
        var health = new HealthState();

        Assert.True(health.Record(Result(0, 1), Started, Settings()));
        Assert.Equal(HealthState.Healthy, health.Status);
        Assert.False(health.Record(Result(0, 2), Started, Settings()));
    }

    [Fact]
    public void Failures_turn_unhealthy_when_the_streak_reaches_the_retries()
    {
        var health = new HealthState();
        var settings = Settings(retries: 2);

        Assert.False(health.Record(Result(1, 1), Started, settings));
        Assert.Equal(HealthState.Starting, health.Status);
        Assert.True(health.Record(Result(1, 2), Started, settings));
        Assert.Equal(HealthState.Unhealthy, health.Status);
        Assert.Equal(2, health.FailingStreak);
        Assert.False(health.Record(Result(1, 3), Started, settings));
        Assert.Equal(3, health.FailingStreak);
    }

    [Fact]
    public void A_success_clears_the_streak()
    {
        var health = new HealthState();
        health.Record(Result(0, 1), Started, Settings());
        health.Record(Result(1, 2), Started, Settings());

        Assert.Equal(1, health.FailingStreak);
        Assert.Equal(HealthState.Healthy, health.Status);
        health.Record(Result(0, 3), Started, Settings());
        Assert.Equal(0, health.FailingStreak);
    }

    [Fact]
    public void Failures_within_the_start_period_do_not_count_while_starting()
    {
        var health = new HealthState();
        var settings = Settings(retries: 1, startPeriodSeconds: 10);

        health.Record(Result(1, 2), Started, settings);
        health.Record(Result(1, 5), Started, settings);
        Assert.Equal(HealthState.Starting, health.Status);
        Assert.Equal(0, health.FailingStreak);

        Assert.True(health.Record(Result(1, 11), Started, settings));
        Assert.Equal(HealthState.Unhealthy, health.Status);
    }

    [Fact]
    public void After_a_success_the_start_period_no_longer_forgives()
    {
        var health = new HealthState();
        var settings = Settings(retries: 1, startPeriodSeconds: 10);

        health.Record(Result(0, 1), Started, settings);
        Assert.True(health.Record(Result(1, 2), Started, settings));
        Assert.Equal(HealthState.Unhealthy, health.Status);
    }

    [Fact]
    public void The_log_keeps_the_last_five_results()
    {
        var health = new HealthState();
        for (int i = 0; i < 8; i++) health.Record(Result(i, i), Started, Settings());

        Assert.Equal([3, 4, 5, 6, 7], health.Log.Select(e => e.ExitCode));
    }

    [Fact]
    public void A_restart_is_starting_again_with_the_log_kept()
    {
        var health = new HealthState();
        for (int i = 0; i < 3; i++) health.Record(Result(1, i), Started, Settings());

        health.Reset();

        Assert.Equal(HealthState.Starting, health.Status);
        Assert.Equal(0, health.FailingStreak);
        Assert.Equal(3, health.Log.Count);
    }
}

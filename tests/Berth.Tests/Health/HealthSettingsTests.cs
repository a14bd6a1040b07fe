using Berth.Api;
using Berth.Engine.Containers.Health;
using Berth.Oci.Images;

namespace Berth.Tests.Health;

public sealed class HealthSettingsTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void No_container_setting_takes_the_images_whole()
    {
        var image = new ImageHealthcheck { Test = ["CMD", "true"], Interval = 2 * Second, Retries = 4 };

        var merged = HealthSettings.Merge(null, image);

        Assert.Equal(["CMD", "true"], merged!.Test);
        Assert.Equal(2 * Second, merged.Interval);
        Assert.Equal(4, merged.Retries);
    }

    [Fact]
    public void Container_fields_override_and_zero_fields_inherit()
    {
        var image = new ImageHealthcheck { Test = ["CMD", "true"], Interval = 2 * Second, Timeout = 3 * Second, StartPeriod = 4 * Second, Retries = 5 };
        var container = new HealthConfig { Interval = 7 * Second, Retries = 1 };

        var merged = HealthSettings.Merge(container, image)!;

        Assert.Equal(["CMD", "true"], merged.Test);
        Assert.Equal(7 * Second, merged.Interval);
        Assert.Equal(3 * Second, merged.Timeout);
        Assert.Equal(4 * Second, merged.StartPeriod);
        Assert.Equal(1, merged.Retries);
    }

    [Fact]
    public void None_disables_the_images_check()
    {
        var merged = HealthSettings.Merge(new HealthConfig { Test = ["NONE"] }, new ImageHealthcheck { Test = ["CMD", "true"] });

        Assert.Equal(["NONE"], merged!.Test);
        Assert.Null(HealthSettings.From(merged));
    }

    [Fact]
    public void Defaults_fill_every_zero_field()
    {
        var settings = HealthSettings.From(new HealthConfig { Test = ["CMD-SHELL", "curl -f localhost"] })!;

        Assert.Equal(["/bin/sh", "-c", "curl -f localhost"], settings.Command);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Timeout);
        Assert.Equal(TimeSpan.Zero, settings.StartPeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.StartInterval);
        Assert.Equal(3, settings.Retries);
    }

    [Fact]
    public void Cmd_runs_its_arguments_as_argv()
    {
        var settings = HealthSettings.From(new HealthConfig { Test = ["CMD", "cat", "/tmp/ok"], Interval = Second / 2 })!;

        Assert.Equal(["cat", "/tmp/ok"], settings.Command);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Interval);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("CMD")]
    [InlineData("BOGUS|x")]
    public void Nothing_to_run_is_no_check(string? test) =>
        Assert.Null(HealthSettings.From(new HealthConfig { Test = test?.Split('|', StringSplitOptions.RemoveEmptyEntries).ToList() }));

    [Fact]
    public void The_start_interval_applies_only_while_starting_within_the_start_period()
    {
        var settings = HealthSettings.From(new HealthConfig { Test = ["CMD", "true"], Interval = 10 * Second, StartPeriod = 60 * Second, StartInterval = Second })!;

        Assert.Equal(TimeSpan.FromSeconds(1), settings.NextInterval(HealthState.Starting, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(10), settings.NextInterval(HealthState.Healthy, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(10), settings.NextInterval(HealthState.Starting, TimeSpan.FromSeconds(61)));
    }
}

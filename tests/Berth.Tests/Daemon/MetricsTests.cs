using System.Net;
using Berth.Daemon.Http;
using Berth.Engine.Metrics;
using Berth.Oci.Errors;

namespace Berth.Tests.Daemon;

public sealed class MetricsTests
{
    [Fact]
    public void A_histogram_counts_each_observation_in_every_bucket_at_or_above_it()
    {
        var histogram = new Histogram("action", "start", "create");
        histogram.Observe("start", TimeSpan.FromMilliseconds(3));
        histogram.Observe("start", TimeSpan.FromMilliseconds(70));
        histogram.Observe("start", TimeSpan.FromSeconds(20));
        histogram.Observe("unknown", TimeSpan.FromSeconds(1));
        var start = histogram.All.Single(s => s.Value == "start").Series;
        Assert.Equal(3, start.Count);
        Assert.Equal(1, start.CountAtOrUnder(0)); // 0.005
        Assert.Equal(1, start.CountAtOrUnder(3)); // 0.05
        Assert.Equal(2, start.CountAtOrUnder(4)); // 0.1
        Assert.Equal(2, start.CountAtOrUnder(Histogram.Buckets.Length - 1)); // 10
        Assert.Equal(20.073, start.Sum, 3);
        Assert.Equal(0, histogram.All.Single(s => s.Value == "create").Series.Count);
    }

    [Fact]
    public void The_metrics_address_is_read_as_go_reads_a_listen_address()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9323), MetricsListener.Parse("127.0.0.1:9323"));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9323), MetricsListener.Parse(":9323"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9323), MetricsListener.Parse("[::1]:9323"));
        Assert.Throws<BerthException>(() => MetricsListener.Parse("127.0.0.1"));
        Assert.Throws<BerthException>(() => MetricsListener.Parse("example.com:9323"));
    }
}

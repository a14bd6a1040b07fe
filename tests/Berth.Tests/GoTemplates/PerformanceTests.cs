using System.Diagnostics;
using System.Text.Json.Nodes;
using Berth.GoTemplates;

namespace Berth.Tests.GoTemplates;

/// <summary>Parse once, execute per row: a `ps` of a thousand rows must cost next to nothing.</summary>
public sealed class PerformanceTests
{
    [Fact]
    public void ThousandRowsExecuteQuickly()
    {
        var template = GoTemplate.Parse("{{.ID}}\t{{.Image}}\t{{printf \"%.20s\" .Command}}\t{{.Status}}\t{{join .Names \",\"}}\t{{if .Labels}}{{index .Labels \"app\"}}{{end}}\t{{json .Ports}}");
        var rows = Enumerable.Range(0, 1000).Select(i => new JsonObject
        {
            ["ID"] = $"{i:x12}",
            ["Image"] = "busybox:latest",
            ["Command"] = "\"sh -c 'while true; do sleep 1; done'\"",
            ["Status"] = "Up 5 minutes",
            ["Names"] = new JsonArray($"web-{i}", "alias"),
            ["Labels"] = new JsonObject { ["app"] = "shop", ["tier"] = "front" },
            ["Ports"] = new JsonArray(new JsonObject { ["PrivatePort"] = 80, ["Type"] = "tcp" }),
        }).ToList();
        template.Execute(rows[0]); // warm up

        var stopwatch = Stopwatch.StartNew();
        var total = rows.Sum(row => template.Execute(row).Length);
        stopwatch.Stop();

        Assert.True(total > 100_000);
        // Typically a few milliseconds; the bound only catches accidental quadratic work on a busy machine.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"1000 rows took {stopwatch.Elapsed}");
    }
}

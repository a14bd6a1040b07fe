using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Containers;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Tests.Cli;

public sealed class OutputFormattingTests
{
    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(1_983_000, "1.98MB")]
    [InlineData(4_260_000, "4.26MB")]
    [InlineData(12_345_678, "12.3MB")]
    [InlineData(123_456_789, "123MB")]
    [InlineData(999_999, "1e+03kB")]
    [InlineData(5_000_000_000, "5GB")]
    public void HumanSizeUsesThreeSignificantDigits(long bytes, string expected) => Assert.Equal(expected, HumanUnits.HumanSize(bytes));

    [Fact]
    public void VirtualSizeUsesFourDigits() => Assert.Equal("1.983MB", HumanUnits.HumanSize(1_983_400, 4));

    [Fact]
    public void BytesSizeIsBinary() => Assert.Equal("23.54GiB", HumanUnits.BytesSize(25_275_000_000));

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(45, "45 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3599, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5400, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(20 * 86400, "2 weeks")]
    [InlineData(90 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void HumanDurationsMatchGoUnits(double seconds, string expected)
        => Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void TabWriterAlignsLikeGo()
    {
        var writer = new TabWriter();
        writer.Write("CONTAINER ID\tIMAGE\tNAMES\n0123456789ab\tbusybox\tweb\n");
        Assert.Equal("CONTAINER ID   IMAGE     NAMES\n0123456789ab   busybox   web\n", writer.Flush());
    }

    [Fact]
    public void TabWriterKeepsMinimumWidthAndLeavesTheLastCellUnpadded()
    {
        var writer = new TabWriter();
        writer.Write("A\tB\nlonger-than-ten\tx\n");
        Assert.Equal("A                 B\nlonger-than-ten   x\n", writer.Flush());
    }

    [Fact]
    public void TabWriterCountsRunes()
    {
        var writer = new TabWriter();
        writer.Write("\"sleep 1000000000…\"\tx\nab\ty\n");
        Assert.Equal("\"sleep 1000000000…\"   x\nab                    y\n", writer.Flush());
    }

    [Fact]
    public void JsonIndentKeepsStringBytesAndEmptyCollections()
    {
        var text = new StringBuilder();
        JsonIndenter.Indent("[{\"a\":\"x\\u003cy\",\"b\":[],\"c\":{},\"d\":[1,{\"e\":null}]}]"u8, text, "", "    ");
        Assert.Equal("[\n    {\n        \"a\": \"x\\u003cy\",\n        \"b\": [],\n        \"c\": {},\n        \"d\": [\n            1,\n            {\n                \"e\": null\n            }\n        ]\n    }\n]",
            text.ToString());
    }

    [Fact]
    public void EllipsisCutsToWidth()
    {
        Assert.Equal("sleep 1000000000000…", IdFormat.Ellipsis("sleep 10000000000000000", 20));
        Assert.Equal("short", IdFormat.Ellipsis("short", 20));
    }

    [Fact]
    public void PortsAreGroupedAsDockerPsShowsThem()
    {
        var ports = JsonNode.Parse("""
            [{"PrivatePort":80,"Type":"tcp"},{"PrivatePort":81,"Type":"tcp"},{"PrivatePort":82,"Type":"tcp"},
             {"IP":"0.0.0.0","PrivatePort":90,"PublicPort":9000,"Type":"udp"},
             {"IP":"127.0.0.1","PrivatePort":7000,"PublicPort":7000,"Type":"tcp"},
             {"IP":"127.0.0.1","PrivatePort":7001,"PublicPort":7001,"Type":"tcp"},
             {"IP":"::","PrivatePort":90,"PublicPort":9000,"Type":"udp"}]
            """)!.AsArray();
        Assert.Equal("80-82/tcp, 127.0.0.1:7000-7001->7000-7001/tcp, 0.0.0.0:9000->90/udp, [::]:9000->90/udp",
            ContainerRows.DisplayablePorts(ports));
    }

    [Fact]
    public void ListFormatterPrintsTableHeaderFromTheTemplate()
    {
        var formatter = new ListFormatter("table {{.Names}}\\t{{.Image}}", ContainerRows.DefaultTable, quiet: false);
        var rows = new[] { new JsonObject { ["Names"] = "web", ["Image"] = "busybox" } };
        Assert.Equal("NAMES     IMAGE\nweb       busybox\n", formatter.Render(ContainerRows.Header(), rows));
    }

    [Fact]
    public void ListFormatterJsonMatchesGoEncoding()
    {
        var formatter = new ListFormatter("json", ImageRows.DefaultTable, quiet: false);
        var rows = new[] { new JsonObject { ["Digest"] = "<none>", ["ID"] = "abc" } };
        Assert.Equal("{\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"abc\"}\n", formatter.Render(ImageRows.Header(), rows));
    }

    [Fact]
    public void QuietFormatPrintsIds()
    {
        var formatter = new ListFormatter(null, ContainerRows.DefaultTable, quiet: true);
        Assert.Equal("a\nb\n", formatter.Render(ContainerRows.Header(), [new JsonObject { ["ID"] = "a" }, new JsonObject { ["ID"] = "b" }]));
    }

    [Fact]
    public void SimpleTemplatePrintsNestedValuesLikeGo()
    {
        var template = SimpleFieldTemplate.TryParse("{{.Config.Cmd}} {{.Config.Labels}} {{json .Config.Cmd}} {{.HostConfig.Memory}} {{.X.CapAdd}}")!;
        var data = JsonNode.Parse("""{"Config":{"Cmd":["sh","-c"],"Labels":{"b":"2","a":"1"}},"HostConfig":{"Memory":67108864},"X":{"CapAdd":null}}""");
        Assert.Equal("[sh -c] map[a:1 b:2] [\"sh\",\"-c\"] 67108864 <no value>", template.Execute(data));
    }

    [Fact]
    public void ComplexTemplatesAreNotTakenByTheFastPath()
    {
        Assert.Null(SimpleFieldTemplate.TryParse("{{range .Mounts}}{{.Source}}{{end}}"));
        Assert.Null(SimpleFieldTemplate.TryParse("{{index .Config.Labels \"k\"}}"));
    }

    [Fact]
    public void ImageRowsSplitTagsAndDigests()
    {
        var image = JsonNode.Parse("""
            {"Id":"sha256:263ecb345a8b502d6a08232e562a63ab81b32062489b539af31757b9bb3f56d2","Created":0,"Size":1983000,
             "RepoTags":["busybox:latest","docker.io/library/busybox:1.36","localhost:5000/x:1"],
             "RepoDigests":["busybox@sha256:aaa"],"Containers":-1,"SharedSize":-1}
            """)!;
        var rows = ImageRows.Rows(image, truncate: true, digests: true, DateTimeOffset.UnixEpoch).ToList();
        Assert.Equal(["busybox latest sha256:aaa", "busybox 1.36 sha256:aaa", "localhost:5000/x 1 <none>"],
            rows.Select(r => $"{r["Repository"]} {r["Tag"]} {r["Digest"]}"));
        Assert.All(rows, r => Assert.Equal("263ecb345a8b", r["ID"]!.GetValue<string>()));
        Assert.Equal("1.98MB", rows[0]["Size"]!.GetValue<string>());
    }

    [Fact]
    public void DanglingImageIsOneNoneRow()
    {
        var image = JsonNode.Parse("""{"Id":"sha256:7aa57d0ca9c5","Created":0,"Size":1,"RepoTags":null,"RepoDigests":null}""")!;
        var row = Assert.Single(ImageRows.Rows(image, true, false, DateTimeOffset.UnixEpoch));
        Assert.Equal("<none>", row["Repository"]!.GetValue<string>());
        Assert.Equal("<none>", row["Tag"]!.GetValue<string>());
    }

    [Fact]
    public void RelativeTimestampsBecomeUnixSeconds()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);
        Assert.Equal("999400.000000000", Timestamps.ToApi("10m", now));
        Assert.Equal("1700000000", Timestamps.ToApi("1700000000", now));
        Assert.Equal("0.000000000", Timestamps.ToApi("1970-01-01T00:00:00Z", now));
    }

    [Fact]
    public void DetachKeysParse()
    {
        Assert.Equal(new byte[] { 16, 17 }, DetachKeys.Parse(null));
        Assert.Equal(new byte[] { 1, (byte)'x' }, DetachKeys.Parse("ctrl-a,x"));
        Assert.Equal(new byte[] { 27, 0 }, DetachKeys.Parse("ctrl-[,ctrl-@"));
    }

    [Fact]
    public void ImageReferencesNormalizeAsDocker()
    {
        Assert.Equal(new ImageReference("docker.io/library/busybox", "latest", null), ImageReference.Parse("busybox"));
        Assert.Equal(new ImageReference("localhost:5000/app", "1", null), ImageReference.Parse("localhost:5000/app:1"));
        Assert.Equal(new ImageReference("docker.io/me/app", null, "sha256:abc"), ImageReference.Parse("me/app@sha256:abc"));
        Assert.Equal("busybox:latest", ImageReference.Parse("busybox").Familiar);
    }

    [Fact]
    public void EventLinesMatchDockers()
    {
        var message = JsonNode.Parse("""
            {"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"x","image":"busybox"}},"time":1,"timeNano":1000000001}
            """)!;
        Assert.Equal("1970-01-01T00:00:01.000000001Z container start abc (image=busybox, name=x)\n", Berth.Cli.Commands.EventsCommand.Describe(message));
    }
}

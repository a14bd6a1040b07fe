namespace Berth.Tests.GoTemplates;

/// <summary>
/// Field access and how values print (Go's fmt %v).
/// Expected values were produced by Go's text/template (with docker's functions) on the same data.
/// </summary>
public sealed class FieldTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("", "")]
    [InlineData("{{.Name}}", "/web")]
    [InlineData("{{.ID}} {{.Port}}", "abc123 8080")]
    [InlineData("{{.Size}}", "1048576")]
    [InlineData("{{.Big}}", "123456789012")]
    [InlineData("{{.Neg}}", "-5")]
    [InlineData("{{.Ratio}}", "0.25")]
    [InlineData("{{.F}}", "1.5")]
    [InlineData("{{.Running}}", "true")]
    [InlineData("{{.Stopped}}", "false")]
    [InlineData("{{.Empty}}|", "|")]
    [InlineData("{{.Zero}}", "0")]
    [InlineData("{{.Args}}", "[-c echo hi]")]
    [InlineData("{{.Nums}}", "[3 1 2]")]
    [InlineData("{{.NoArgs}}", "[]")]
    [InlineData("{{.Mixed}}", "[a 1 true <nil> 1.5]")]
    [InlineData("{{.Labels}}", "map[a:1 b:2 com.docker.compose.project:proj z:<x&y>]")]
    [InlineData("{{.EmptyMap}}", "map[]")]
    [InlineData("{{.State}}", "map[ExitCode:0 Health:<nil> Pid:42 Running:true Status:running]")]
    [InlineData("{{.Mounts}}", "[map[Destination:/dst RW:true Source:/src] map[Destination:/b RW:false Source:/a]]")]
    [InlineData("{{.Networks}}", "map[bridge:map[IPAddress:172.17.0.2] host:map[IPAddress:]]")]
    [InlineData("{{.Missing}}", "<no value>")]
    [InlineData("{{.Missing.Foo}}", "<no value>")]
    [InlineData("{{.State.Pid}}", "42")]
    [InlineData("{{.State.Missing}}", "<no value>")]
    [InlineData("{{.Nested.A.B.C}}", "deep")]
    [InlineData("{{.Nested.A.B}}", "map[C:deep]")]
    [InlineData("{{.Uni}}", "héllo wörld")]
    [InlineData("{{.Quote}}", "say \"hi\"\n\ttab")]
    [InlineData("{{.Html}}", "<a href='x'>&</a>")]
    [InlineData("{{.Labels.a}}", "1")]
    [InlineData("{{.Labels.nope}}", "<no value>")]
    [InlineData("{{$}}", "map[Args:[-c echo hi] Big:123456789012 Empty: EmptyMap:map[] F:1.5 FBig:1.2345675e+06 Html:<a href='x'>&</a> Huge:1e+21 ID:abc123 Labels:map[a:1 b:2 com.docker.compose.project:proj z:<x&y>] Mixed:[a 1 true <nil> 1.5] Mounts:[map[Destination:/dst RW:true Source:/src] map[Destination:/b RW:false Source:/a]] Name:/web Neg:-5 Nested:map[A:map[B:map[C:deep]]] Networks:map[bridge:map[IPAddress:172.17.0.2] host:map[IPAddress:]] Nil:<nil> NoArgs:[] Nums:[3 1 2] Port:8080 Quote:say \"hi\"\n\ttab Ratio:0.25 Running:true Size:1048576 State:map[ExitCode:0 Health:<nil> Pid:42 Running:true Status:running] Stopped:false Tiny:1e-05 Uni:héllo wörld Zero:0]")]
    [InlineData("{{$.Name}}", "/web")]
    [InlineData("{{$.Nested.A}}", "map[B:map[C:deep]]")]
    [InlineData("{{ .Name }}", "/web")]
    [InlineData("{{(.State).Pid}}", "42")]
    [InlineData("{{(index .Mounts 1).Source}}", "/a")]
    [InlineData("{{(.Labels).a}}", "1")]
    [InlineData("{{$n := .Networks}}{{$n.bridge.IPAddress}}", "172.17.0.2")]
    public void MatchesGo(string template, string expected) => Assert.Equal(expected, Sample.Run(template));

    [Theory]
    [InlineData("{{.}}", "\"str\"", "str")]
    [InlineData("{{.}}", "3", "3")]
    [InlineData("{{.}}", "[1, \"a\", null]", "[1 a <nil>]")]
    [InlineData("{{.}}", "{\"b\": 1, \"a\": 2, \"C\": 3, \"_\": 4, \"\\u00e9\": 5, \"aa\": 6}", "map[C:3 _:4 a:2 aa:6 b:1 é:5]")]
    [InlineData("{{.}}", "{\"k\": {\"z\": 1, \"a\": [1, 2.5]}}", "map[k:map[a:[1 2.5] z:1]]")]
    [InlineData("{{.x}}", "{\"x\": 1.0}", "1")]
    [InlineData("{{.x}}", "{\"x\": 1e3}", "1000")]
    [InlineData("{{.x}}", "{\"x\": -0.5}", "-0.5")]
    public void MatchesGoOnOtherData(string template, string json, string expected) => Assert.Equal(expected, Sample.Run(template, json));
}

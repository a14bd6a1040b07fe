using System.Text;
using System.Text.Json.Nodes;
using Berth.GoTemplates;

namespace Berth.Tests.GoTemplates;

/// <summary>The public API around the engine: extra functions, methods, header functions, writers.</summary>
public sealed class OptionsTests
{
    private static readonly JsonObject Row = new() { ["Names"] = "web", ["Labels"] = new JsonObject { ["app"] = "shop" } };

    [Fact]
    public void ExtraFunctionIsCalledWithJsonArguments()
    {
        var functions = new Dictionary<string, TemplateFunction>
        {
            ["shout"] = args => JsonValue.Create(args[0]!.GetValue<string>() + "!" + args.Count),
        };
        Assert.Equal("web!2", GoTemplate.Parse("{{shout .Names 3}}", functions).Execute(Row));
    }

    [Fact]
    public void ExtraFunctionReplacesDockerFunction()
    {
        var functions = new Dictionary<string, TemplateFunction> { ["upper"] = _ => JsonValue.Create("mine") };
        Assert.Equal("mine", GoTemplate.Parse("{{upper .Names}}", functions).Execute(Row));
    }

    [Fact]
    public void ExtraFunctionFailureIsReportedLikeGo()
    {
        var functions = new Dictionary<string, TemplateFunction> { ["boom"] = _ => throw new InvalidOperationException("no way") };
        var template = GoTemplate.Parse("{{boom}}", functions);
        Assert.Equal("template: :1:2: executing \"\" at <boom>: error calling boom: no way", Assert.Throws<TemplateException>(() => template.Execute(Row)).Message);
    }

    [Fact]
    public void ExtraFunctionNameMustBeAnIdentifier() =>
        Assert.Throws<ArgumentException>(() => GoTemplate.Parse("x", new Dictionary<string, TemplateFunction> { ["a-b"] = _ => null }));

    [Fact]
    public void UnknownFunctionIsAParseError() =>
        Assert.Equal("template: :1: function \"nope\" not defined", Sample.ParseError("{{nope .}}"));

    [Fact]
    public void MethodIsCalledOnTheObjectWithArguments()
    {
        var options = new GoTemplateOptions
        {
            Methods = new Dictionary<string, TemplateMethod>
            {
                ["Label"] = (receiver, args) => receiver["Labels"]?[args[0]!.GetValue<string>()]?.DeepClone(),
            },
        };
        Assert.Equal("shop|", GoTemplate.Parse("{{.Label \"app\"}}|{{.Label \"none\"}}", options).Execute(Row).Replace("<nil>", ""));
    }

    [Fact]
    public void KeyWithArgumentsIsNotAMethod() =>
        Assert.Equal(
            "template: :1:2: executing \"\" at <.Names>: Names is not a method but has arguments",
            Assert.Throws<TemplateException>(() => GoTemplate.Parse("{{.Names \"x\"}}").Execute(Row)).Message);

    [Fact]
    public void HeaderFunctionsLeaveColumnNamesAlone()
    {
        var template = GoTemplate.Parse("{{upper .Names}}\t{{json .Labels}}\t{{join .Args \",\"}}\t{{pad .Names 1 1}}|");
        var header = new JsonObject { ["Names"] = "NAMES", ["Labels"] = "LABELS", ["Args"] = "ARGS" };
        Assert.Equal("NAMES\tLABELS\tARGS\t NAMES |", template.ForTableHeader().Execute(header));
        Assert.Equal("WEB\t{\"app\":\"shop\"}\t\t web |", template.Execute(Row));
    }

    [Fact]
    public void ExecuteWritesToATextWriterOnlyOnSuccess()
    {
        var writer = new StringWriter();
        GoTemplate.Parse("{{.Names}}").Execute(writer, Row);
        Assert.Equal("web", writer.ToString());
        var failed = new StringWriter();
        Assert.Throws<TemplateException>(() => GoTemplate.Parse("a{{len 3}}").Execute(failed, Row));
        Assert.Equal("", failed.ToString());
    }

    [Fact]
    public void ExecuteIntoAStringBuilderKeepsOutputBeforeAnError()
    {
        var output = new StringBuilder();
        Assert.Throws<TemplateException>(() => GoTemplate.Parse("a{{len 3}}").Execute(output, Row));
        Assert.Equal("a", output.ToString());
    }

    [Fact]
    public void ParsedTemplateIsReusableAcrossThreads()
    {
        var template = GoTemplate.Parse("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}");
        Parallel.For(0, 200, i =>
        {
            var data = new JsonObject { ["i"] = i, ["s"] = "x" };
            Assert.Equal($"i={i};s=x;", template.Execute(data));
        });
    }

    [Fact]
    public void WithOptionsKeepsTheText()
    {
        var template = GoTemplate.Parse("{{.Missing}}");
        Assert.Equal("<no value>", template.Execute(Row));
        Assert.Throws<TemplateException>(() => template.With(template.Options with { MissingKey = MissingKeyMode.Error }).Execute(Row));
        Assert.Equal("{{.Missing}}", template.Text);
    }

    [Theory]
    [InlineData(2.0, "2")]
    [InlineData(1048576.0, "1048576")]
    [InlineData(0.5, "0.5")]
    [InlineData(1e21, "1e+21")]
    public void NumbersBuiltInCodePrintLikeJsonNumbers(double value, string expected) =>
        Assert.Equal(expected, GoTemplate.Parse("{{.v}}").Execute(new JsonObject { ["v"] = value }));

    [Fact]
    public void ValuesOfOtherClrTypesPrint()
    {
        var data = new JsonObject
        {
            ["i"] = 7,
            ["u"] = 7u,
            ["l"] = long.MaxValue,
            ["m"] = 2.5m,
            ["f"] = 0.25f,
            ["c"] = 'c',
            ["b"] = false,
            ["n"] = null,
        };
        Assert.Equal("7 7 9223372036854775807 2.5 0.25 c false <nil>", GoTemplate.Parse("{{.i}} {{.u}} {{.l}} {{.m}} {{.f}} {{.c}} {{.b}} {{.n}}").Execute(data));
    }
}

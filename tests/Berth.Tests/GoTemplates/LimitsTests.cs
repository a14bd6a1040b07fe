using Berth.GoTemplates;

namespace Berth.Tests.GoTemplates;

/// <summary>Pathological templates fail with an error instead of exhausting the stack.</summary>
public sealed class LimitsTests
{
    [Fact]
    public void DeepParenthesesAreRefused()
    {
        var text = "{{" + new string('(', 5000) + "1" + new string(')', 5000) + "}}";
        Assert.Equal("template: :1: exceeded maximum nesting depth (1000)", Sample.ParseError(text));
    }

    [Fact]
    public void DeepControlNestingIsRefused()
    {
        var text = string.Concat(Enumerable.Repeat("{{if 1}}", 2000)) + string.Concat(Enumerable.Repeat("{{end}}", 2000));
        Assert.Equal("template: :1: exceeded maximum nesting depth (1000)", Sample.ParseError(text));
    }

    [Fact]
    public void ModerateNestingWorks()
    {
        var text = string.Concat(Enumerable.Repeat("{{with .}}", 200)) + "{{.Name}}" + string.Concat(Enumerable.Repeat("{{end}}", 200));
        Assert.Equal("/web", Sample.Run(text));
        Assert.Equal("3", GoTemplate.Parse("{{" + new string('(', 300) + "3" + new string(')', 300) + "}}").Execute(null));
    }
}

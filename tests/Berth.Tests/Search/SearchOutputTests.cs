using System.Text.Json.Nodes;
using Berth.Cli.Commands;
using Berth.Cli.Formatting;

namespace Berth.Tests.Search;

/// <summary>berth search output, checked against what docker CLI 28 printed for the same results.</summary>
public sealed class SearchOutputTests
{
    // Parsed, as the client gets them from the daemon (the wording of the first one is the one docker was shown).
    private static readonly JsonNode[] Results = JsonNode.Parse("""
        [
          {"star_count":12,"is_official":true,"name":"alpha/busy","is_automated":false,
           "description":"A very long description that goes on and on\nwith a newline and more words to truncate it"},
          {"star_count":3,"is_official":false,"name":"beta","is_automated":true,"description":"short"},
          {"star_count":0,"is_official":false,"name":"gamma","is_automated":false,"description":""}
        ]
        """)!.AsArray().Select(n => n!).ToArray();

    private static string Render(string? format, bool truncate = true) =>
        SearchCommand.Render(new ListFormatter(format, SearchRows.DefaultTable, quiet: false), Results, truncate);

    [Fact]
    public void The_default_table_truncates_descriptions_to_45_characters()
    {
        Assert.Equal(
            "NAME         DESCRIPTION                                     STARS     OFFICIAL\n" +
            "alpha/busy   A very long description that goes on and on …   12        [OK]\n" +
            "beta         short                                           3         \n" +
            "gamma                                                        0         \n",
            Render(null));
    }

    [Fact]
    public void No_trunc_shows_the_whole_description_on_one_line()
    {
        Assert.Equal(
            "NAME         DESCRIPTION                                                                                STARS     OFFICIAL\n" +
            "alpha/busy   A very long description that goes on and on with a newline and more words to truncate it   12        [OK]\n" +
            "beta         short                                                                                      3         \n" +
            "gamma                                                                                                   0         \n",
            Render(null, truncate: false));
    }

    [Fact]
    public void Templates_see_docker_field_names()
    {
        Assert.Equal("alpha/busy|A very long description that goes on and on …|12|[OK]|\nbeta|short|3||[OK]\ngamma||0||\n",
            Render("{{.Name}}|{{.Description}}|{{.StarCount}}|{{.IsOfficial}}|{{.IsAutomated}}"));
        Assert.Equal("NAME         STARS\nalpha/busy   12\nbeta         3\ngamma        0\n", Render("table {{.Name}}\\t{{.StarCount}}"));
    }

    [Fact]
    public void Json_shows_flags_as_true_or_false()
    {
        Assert.Equal(
            "{\"Description\":\"A very long description that goes on and on …\",\"IsOfficial\":\"true\",\"Name\":\"alpha/busy\",\"StarCount\":\"12\"}\n" +
            "{\"Description\":\"short\",\"IsOfficial\":\"false\",\"Name\":\"beta\",\"StarCount\":\"3\"}\n" +
            "{\"Description\":\"\",\"IsOfficial\":\"false\",\"Name\":\"gamma\",\"StarCount\":\"0\"}\n",
            Render("json"));
    }
}

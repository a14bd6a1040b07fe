using Berth.Cli;

namespace Berth.Tests.Cli;

/// <summary>berth --help in docker 28's sections and order, with one line per command.</summary>
public sealed class RootHelpTests
{
    private static readonly string Help = HelpWriter.Root("berth", CommandTable.TopLevel, CommandTable.Groups);

    private static List<string> Section(string title)
    {
        var lines = Help.Split('\n');
        var start = Array.IndexOf(lines, title + ":");
        Assert.True(start >= 0, $"no \"{title}:\" section in:\n{Help}");
        return lines.Skip(start + 1).TakeWhile(l => l.Length > 0).Select(l => l.Trim().Split(' ')[0]).ToList();
    }

    [Fact]
    public void Sections_follow_docker_s_order()
    {
        Assert.StartsWith("Usage:  berth [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n", Help);
        Assert.True(Help.IndexOf("Common Commands:", StringComparison.Ordinal) < Help.IndexOf("Management Commands:", StringComparison.Ordinal));
        Assert.True(Help.IndexOf("Management Commands:", StringComparison.Ordinal) < Help.IndexOf("Swarm Commands:", StringComparison.Ordinal));
        Assert.True(Help.IndexOf("Swarm Commands:", StringComparison.Ordinal) < Help.IndexOf("\nCommands:", StringComparison.Ordinal));
        Assert.Equal(["run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search", "version", "info"], Section("Common Commands"));
        var management = Section("Management Commands");
        Assert.Equal(management.Order(StringComparer.Ordinal), management);
        Assert.Contains("builder", management);
        Assert.Contains("compose", management);
        Assert.Contains("context", management);
        Assert.DoesNotContain("swarm", management);
        Assert.Contains("swarm", Section("Swarm Commands"));
        var commands = Section("Commands");
        Assert.DoesNotContain("run", commands);
        Assert.Equal("attach", commands[0]);
    }

    [Fact]
    public void Login_and_logout_have_docker_s_one_line_descriptions()
    {
        Assert.Contains("\n  login       Authenticate to a registry\n", Help);
        Assert.Contains("\n  logout      Log out from a registry\n", Help);
        Assert.DoesNotContain("If no server is specified", Help);
    }
}

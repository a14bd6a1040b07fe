using Berth.Build.Dockerfile;

namespace Berth.Tests.Build;

public class DockerfileParserTests
{
    private static Instruction Single(string dockerfile) => DockerfileParser.Parse("FROM busybox\n" + dockerfile).Instructions[1];

    [Fact]
    public void ReadsInstructionsWithTheirLines()
    {
        var document = DockerfileParser.Parse("FROM busybox\n\nRUN echo hi\ncmd [\"sh\"]\n");

        Assert.Equal('\\', document.EscapeToken);
        Assert.Equal(["FROM", "RUN", "CMD"], document.Instructions.Select(i => i.Keyword));
        Assert.Equal([1, 3, 4], document.Instructions.Select(i => i.Line));
        Assert.Equal("busybox", document.Instructions[0].Arguments);
        Assert.Equal("echo hi", document.Instructions[1].Arguments);
        Assert.Equal("cmd [\"sh\"]", document.Instructions[2].Original);
    }

    [Fact]
    public void JoinsContinuationLinesSkippingCommentsAndBlankLines()
    {
        // Checked against dockerd 20.10: "Step 2/3 : RUN echo a    b   c".
        var document = DockerfileParser.Parse("FROM busybox\nRUN echo a \\\n  # comment\n\n   b \\\n#c\n  c\nCMD x\n");

        var run = document.Instructions[1];
        Assert.Equal("RUN echo a    b   c", run.Original);
        Assert.Equal("echo a    b   c", run.Arguments);
        Assert.Equal(2, run.Line);
        Assert.Equal(8, document.Instructions[2].Line);
    }

    [Theory]
    [InlineData("RUN echo a\\ \t \n  b\n", "RUN echo a  b")]
    [InlineData("RUN echo a\\", "RUN echo a")]
    [InlineData("RUN echo a\\\n\n", "RUN echo a")]
    [InlineData("RUN echo a\\\n#c\n", "RUN echo a")]
    [InlineData("RUN echo a \\\n  \\\n  b\n", "RUN echo a     b")]
    [InlineData("RUN echo a\r\r\nCMD x\r\n", "RUN echo a")]
    [InlineData("   RUN   echo a   \n", "RUN   echo a")]
    public void ContinuationEdgeCases(string dockerfile, string original) => Assert.Equal(original, Single(dockerfile).Original);

    [Fact]
    public void ADoubledEscapeAtTheEndIsNoContinuation()
    {
        // Checked against dockerd 20.10: "RUN echo a\\" and "RUN echo a\\\" are steps of their own.
        var document = DockerfileParser.Parse("FROM busybox\nRUN echo a\\\\\nCMD x\nRUN b\\\\\\\nCMD y\n");

        Assert.Equal(["FROM", "RUN", "CMD", "RUN", "CMD"], document.Instructions.Select(i => i.Keyword));
        Assert.Equal("echo a\\\\", document.Instructions[1].Arguments);
        Assert.Equal("b\\\\\\", document.Instructions[3].Arguments);
    }

    [Fact]
    public void KeepsCommentLikeTextAfterAnInstruction()
    {
        var document = DockerfileParser.Parse("FROM busybox\n  # x \nRUN echo a # not comment\n#  \n");

        Assert.Equal(2, document.Instructions.Count);
        Assert.Equal("echo a # not comment", document.Instructions[1].Arguments);
    }

    [Fact]
    public void BacktickEscapeLeavesWindowsPathsAlone()
    {
        var document = DockerfileParser.Parse("# escape=`\nFROM busybox\nCOPY C:\\src\\app C:\\dst\\\nWORKDIR C:\\app `\n  \\sub\n");

        Assert.Equal('`', document.EscapeToken);
        Assert.Equal("C:\\src\\app C:\\dst\\", document.Instructions[1].Arguments);
        Assert.Equal("WORKDIR C:\\app   \\sub", document.Instructions[2].Original);
        Assert.Equal(4, document.Instructions[2].Line);
    }

    [Theory]
    [InlineData("# escape=`\n")]
    [InlineData("# ESCAPE = ` \n")]
    [InlineData("#escape=`\n\n")]
    [InlineData("  # escape=`\n")]
    [InlineData("# syntax=docker/dockerfile:1\n# escape=`\n")]
    [InlineData("\uFEFF# escape=`\r\n")]
    public void HonoursTheEscapeDirectiveAtTheTop(string directives) =>
        Assert.Equal('`', DockerfileParser.Parse(directives + "FROM busybox\n").EscapeToken);

    [Theory]
    [InlineData("\n# escape=`\n")]
    [InlineData("# a comment\n# escape=`\n")]
    [InlineData("# foo=bar\n# escape=`\n")]
    [InlineData("FROM busybox\n# escape=`\n")]
    public void IgnoresTheEscapeDirectiveAfterAnythingElse(string directives)
    {
        var document = DockerfileParser.Parse(directives + "FROM busybox\nRUN echo a\\\n  b\n");

        Assert.Equal('\\', document.EscapeToken);
        Assert.Equal("echo a  b", document.Instructions[^1].Arguments);
    }

    [Fact]
    public void HandlesByteOrderMarkCrlfAndLowerCaseKeywords()
    {
        // Checked against dockerd 20.10: "Step 2/2 : run echo a  b \".
        var document = DockerfileParser.Parse("\uFEFF# escape=`\r\nFROM busybox\r\nrun echo a`\r\n  b \\\r\n");

        var run = document.Instructions[1];
        Assert.Equal("RUN", run.Keyword);
        Assert.Equal("run echo a  b \\", run.Original);
        Assert.Equal("echo a  b \\", run.Arguments);
    }

    [Fact]
    public void SeparatesLeadingFlags()
    {
        var copy = Single("COPY --from=build --chown=\"a b\" --chmod='7'55 src dst");

        Assert.Equal([new("from", "build"), new("chown", "a b"), new("chmod", "755")], copy.Flags);
        Assert.Equal("src dst", copy.Arguments);
        Assert.Equal("COPY --from=build --chown=\"a b\" --chmod='7'55 src dst", copy.Original);
    }

    [Fact]
    public void ParsesFlagsOnlyAtTheStart()
    {
        var run = Single("RUN echo --mount=x");

        Assert.Empty(run.Flags);
        Assert.Equal("echo --mount=x", run.Arguments);
    }

    [Fact]
    public void DoubleDashEndsTheFlags()
    {
        var copy = Single("COPY --chown=1 -- --odd dst");

        Assert.Equal([new InstructionFlag("chown", "1")], copy.Flags);
        Assert.Equal("--odd dst", copy.Arguments);
    }

    [Fact]
    public void KeepsFlagsWithoutValueAsNull()
    {
        // HEALTHCHECK NONE is the one place docker ignores flags altogether.
        var check = Single("HEALTHCHECK --whatever NONE");

        Assert.Equal([new InstructionFlag("whatever", null)], check.Flags);
        Assert.Equal("NONE", check.Arguments);
    }

    [Fact]
    public void FromTakesPlatformAndStageName()
    {
        var from = DockerfileParser.Parse("FROM --platform=linux/amd64 busybox AS Build\n").Instructions[0];

        Assert.Equal([new InstructionFlag("platform", "linux/amd64")], from.Flags);
        Assert.Equal("busybox AS Build", from.Arguments);
        Assert.Null(from.JsonArguments);
    }

    [Theory]
    [InlineData("CMD [\"echo\", \"hi\"]", new[] { "echo", "hi" })]
    [InlineData("RUN [\"echo\", \"a\"] junk", new[] { "echo", "a" })]
    [InlineData("ENTRYPOINT  [ \"x\" ]", new[] { "x" })]
    [InlineData("CMD []", new string[0])]
    [InlineData("SHELL [\"/bin/bash\", \"-c\"]", new[] { "/bin/bash", "-c" })]
    [InlineData("VOLUME [\"/a\", \"/b\"]", new[] { "/a", "/b" })]
    [InlineData("COPY [\"a b\", \"/c\"]", new[] { "a b", "/c" })]
    [InlineData("ADD [\"s\", \"d\"]", new[] { "s", "d" })]
    [InlineData("RUN [\"caf\\u00e9\", \"a\\\\b\"]", new[] { "café", "a\\b" })]
    public void ReadsTheExecForm(string line, string[] expected) => Assert.Equal(expected, Single(line).JsonArguments);

    [Theory]
    [InlineData("CMD echo hi")]
    [InlineData("CMD [\"a\",]")]
    [InlineData("CMD [\"a\", 1")]
    [InlineData("RUN ['a']")]
    [InlineData("VOLUME /a /b")]
    [InlineData("EXPOSE [\"80\"]")]
    [InlineData("WORKDIR [\"/a\"]")]
    [InlineData("LABEL [\"a\", 1]")]
    [InlineData("CMD")]
    public void ShellFormHasNoJsonArguments(string line) => Assert.Null(Single(line).JsonArguments);

    [Fact]
    public void OnbuildKeepsItsTriggerAsArguments()
    {
        var onbuild = Single("ONBUILD COPY --from=x a b");

        Assert.Empty(onbuild.Flags);
        Assert.Equal("COPY --from=x a b", onbuild.Arguments);

        var trigger = DockerfileParser.ParseLine(onbuild.Arguments, '\\', 2);
        Assert.Equal("COPY", trigger.Keyword);
        Assert.Equal([new InstructionFlag("from", "x")], trigger.Flags);
        Assert.Equal("a b", trigger.Arguments);
        Assert.Equal(2, trigger.Line);
    }

    [Fact]
    public void OnbuildAcceptsAnUnknownTriggerUntilItRuns()
    {
        // Docker stores the trigger and only fails the build of an image based on this one.
        Assert.Equal("FOO x", Single("ONBUILD FOO x").Arguments);
    }

    [Fact]
    public void ParsesOneLine()
    {
        var run = DockerfileParser.ParseLine("  run  [\"echo\", \"hi\"]  ", '\\', 7);

        Assert.Equal("RUN", run.Keyword);
        Assert.Equal("run  [\"echo\", \"hi\"]", run.Original);
        Assert.Equal("[\"echo\", \"hi\"]", run.Arguments);
        Assert.Equal(["echo", "hi"], run.JsonArguments);
        Assert.Equal(7, run.Line);
    }

    [Fact]
    public void ArgMayComeBeforeTheFirstFrom()
    {
        var document = DockerfileParser.Parse("ARG BASE=busybox\nFROM $BASE\n");

        Assert.Equal(["ARG", "FROM"], document.Instructions.Select(i => i.Keyword));
    }

    [Theory]
    [InlineData("FROM busybox\nARG a b\n")]
    [InlineData("FROM busybox\nUSER a b\n")]
    [InlineData("FROM busybox\nWORKDIR a b\n")]
    [InlineData("FROM busybox\nMAINTAINER a b\n")]
    [InlineData("FROM busybox\nCMD\n")]
    [InlineData("FROM busybox\nRUN\n")]
    [InlineData("FROM busybox\nARG --x a=b\n")]
    [InlineData("FROM busybox\nSTOPSIGNAL --x 9\n")]
    [InlineData("FROM busybox\nhealthcheck none\n")]
    [InlineData("FROM busybox\nHEALTHCHECK --interval= CMD x\n")]
    [InlineData("FROM busybox\nHEALTHCHECK --interval=1ms --retries=+5 --timeout=1.5h --start-period=2m30s CMD x\n")]
    [InlineData("FROM busybox\nCOPY --chmod=755 --chown= a b\n")]
    [InlineData("FROM busybox\nCOPY -- a b\n")]
    [InlineData("FROM busybox\nRUN --mount=type=cache,target=/x --mount=type=tmpfs,target=/y echo\n")]
    [InlineData("FROM busybox AS Foo\nFROM foo\n")]
    [InlineData("FROM busybox\nEXPOSE [\"a\", 1]\n")]
    [InlineData("FROM busybox\nENV a=\n")]
    public void AcceptsWhatDockerAccepts(string dockerfile) => DockerfileParser.Parse(dockerfile);
}

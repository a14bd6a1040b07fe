using Berth.Build.Dockerfile;
using Berth.Oci.Errors;

namespace Berth.Tests.Build;

/// <summary>Every message here is the one dockerd 20.10's classic builder gave for the same Dockerfile.</summary>
public class DockerfileErrorTests
{
    private static string ErrorOf(string dockerfile)
    {
        var error = Assert.Throws<BerthException>(() => DockerfileParser.Parse(dockerfile));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        return error.Message;
    }

    [Theory]
    [InlineData("", "the Dockerfile (Dockerfile) cannot be empty")]
    [InlineData("# just comment\n", "failed to parse Dockerfile: file with no instructions")]
    [InlineData("\n\n", "failed to parse Dockerfile: file with no instructions")]
    [InlineData("# escape=x\nFROM busybox\n", "failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\")]
    [InlineData("# escape=`\n# escape=`\nFROM busybox\n", "failed to parse Dockerfile: only one escape parser directive can be used")]
    [InlineData("RUN x\n", "no build stage in current context")]
    [InlineData("ARG a\nENV x=1\n", "no build stage in current context")]
    [InlineData("\n# escape=`\nFROM busybox\nRUN echo a`\n  b\n", "dockerfile parse error line 5: unknown instruction: B")]
    public void FileLevelErrors(string dockerfile, string message) => Assert.Equal(message, ErrorOf(dockerfile));

    [Fact]
    public void NamesTheDockerfileItWasGiven() =>
        Assert.Equal("failed to parse build/app.df: file with no instructions",
            Assert.Throws<BerthException>(() => DockerfileParser.Parse("#\n", "build/app.df")).Message);

    [Theory]
    [InlineData("FOO bar", "dockerfile parse error line 2: unknown instruction: FOO")]
    [InlineData("foo bar", "dockerfile parse error line 2: unknown instruction: FOO")]
    [InlineData("ENV", "dockerfile parse error line 2: ENV requires at least one argument")]
    [InlineData("ENV foo", "failed to parse Dockerfile: ENV must have two arguments")]
    [InlineData("ENV =x", "dockerfile parse error line 2: ENV names can not be blank")]
    [InlineData("ENV a=1 =2", "dockerfile parse error line 2: ENV names can not be blank")]
    [InlineData("ENV a=1 b", "failed to parse Dockerfile: Syntax error - can't find = in \"b\". Must be of the form: name=value")]
    [InlineData("LABEL", "dockerfile parse error line 2: LABEL requires at least one argument")]
    [InlineData("LABEL foo", "failed to parse Dockerfile: LABEL must have two arguments")]
    [InlineData("LABEL a=1 =2", "dockerfile parse error line 2: LABEL names can not be blank")]
    [InlineData("ARG", "dockerfile parse error line 2: ARG requires at least one argument")]
    [InlineData("ARG =x", "dockerfile parse error line 2: ARG names can not be blank")]
    [InlineData("COPY Dockerfile", "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("COPY [\"a\"]", "dockerfile parse error line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("ADD Dockerfile", "dockerfile parse error line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("USER", "dockerfile parse error line 2: USER requires exactly one argument")]
    [InlineData("WORKDIR", "dockerfile parse error line 2: WORKDIR requires exactly one argument")]
    [InlineData("MAINTAINER", "dockerfile parse error line 2: MAINTAINER requires exactly one argument")]
    [InlineData("STOPSIGNAL", "dockerfile parse error line 2: STOPSIGNAL requires exactly one argument")]
    [InlineData("EXPOSE", "dockerfile parse error line 2: EXPOSE requires at least one argument")]
    [InlineData("VOLUME", "dockerfile parse error line 2: VOLUME requires at least one argument")]
    [InlineData("VOLUME [\"\"]", "dockerfile parse error line 2: VOLUME specified can not be an empty string")]
    [InlineData("SHELL sh -c", "dockerfile parse error line 2: SHELL requires the arguments to be in JSON form")]
    [InlineData("SHELL [\"c:\\windows\\cmd.exe\", \"/c\"]", "dockerfile parse error line 2: SHELL requires the arguments to be in JSON form")]
    [InlineData("SHELL []", "dockerfile parse error line 2: SHELL requires at least one argument")]
    [InlineData("ONBUILD", "dockerfile parse error line 2: ONBUILD requires at least one argument")]
    [InlineData("ONBUILD ONBUILD RUN x", "dockerfile parse error line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("ONBUILD FROM x", "dockerfile parse error line 2: FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD maintainer x", "dockerfile parse error line 2: MAINTAINER isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD ENV x", "failed to parse Dockerfile: ENV must have two arguments")]
    [InlineData("RUN [\"a\", 1]", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("CMD [\"a\", null]", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("CMD [[\"a\"]]", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("VOLUME [\"a\", 1]", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only")]
    [InlineData("HEALTHCHECK CMD [1]", "failed to parse Dockerfile: when using JSON array syntax, arrays must be comprised of strings only")]
    public void InstructionErrors(string line, string message) => Assert.Equal(message, ErrorOf("FROM busybox\n" + line + "\n"));

    [Theory]
    [InlineData("FROM", "FROM requires either one or three arguments")]
    [InlineData("FROM busybox a", "FROM requires either one or three arguments")]
    [InlineData("FROM busybox AS", "FROM requires either one or three arguments")]
    [InlineData("FROM busybox as x y", "FROM requires either one or three arguments")]
    [InlineData("FROM busybox foo x", "FROM requires either one or three arguments")]
    [InlineData("FROM --platform linux busybox", "FROM requires either one or three arguments")]
    [InlineData("FROM busybox AS 1x", "invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM --foo=1 busybox", "Unknown flag: foo")]
    public void FromErrors(string line, string message) => Assert.Equal("dockerfile parse error line 1: " + message, ErrorOf(line + "\n"));

    [Theory]
    [InlineData("RUN --foo echo hi", "Unknown flag: foo")]
    [InlineData("RUN --network=host echo hi", "Unknown flag: network")]
    [InlineData("RUN --mount echo", "Missing a value on flag: mount")]
    [InlineData("COPY --from Dockerfile /x", "Missing a value on flag: from")]
    [InlineData("COPY --chown Dockerfile /x", "Missing a value on flag: chown")]
    [InlineData("COPY --from=a --from=b Dockerfile /x", "Duplicate flag specified: from")]
    [InlineData("COPY --FROM=a Dockerfile /x", "Unknown flag: FROM")]
    [InlineData("COPY --link Dockerfile /x", "Unknown flag: link")]
    [InlineData("ADD --from=a Dockerfile /x", "Unknown flag: from")]
    [InlineData("ENV --x=1 a=b", "Unknown flag: x")]
    [InlineData("ENV --x", "Unknown flag: x")]
    [InlineData("LABEL --x a=b", "Unknown flag: x")]
    [InlineData("EXPOSE --x 80", "Unknown flag: x")]
    [InlineData("CMD --x 80", "Unknown flag: x")]
    [InlineData("ENTRYPOINT --x 9", "Unknown flag: x")]
    [InlineData("ONBUILD --x RUN 80", "Unknown flag: x")]
    [InlineData("MAINTAINER --x a", "Unknown flag: x")]
    [InlineData("USER --x a=b", "Unknown flag: x")]
    [InlineData("WORKDIR --x a=b", "Unknown flag: x")]
    [InlineData("VOLUME --x a=b", "Unknown flag: x")]
    [InlineData("VOLUME --x [\" \"]", "Unknown flag: x")]
    [InlineData("SHELL --x [\"a\"]", "Unknown flag: x")]
    [InlineData("SHELL --x", "Unknown flag: x")]
    [InlineData("MAINTAINER --x", "MAINTAINER requires exactly one argument")]
    [InlineData("COPY --x", "COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("ONBUILD --x", "ONBUILD requires at least one argument")]
    [InlineData("EXPOSE --x", "EXPOSE requires at least one argument")]
    [InlineData("VOLUME --x", "VOLUME requires at least one argument")]
    [InlineData("HEALTHCHECK --x", "HEALTHCHECK requires at least one argument")]
    public void FlagErrorsInDockersOrder(string line, string message) =>
        Assert.Equal("dockerfile parse error line 2: " + message, ErrorOf("FROM busybox\n" + line + "\n"));

    [Theory]
    [InlineData("HEALTHCHECK", "HEALTHCHECK requires at least one argument")]
    [InlineData("HEALTHCHECK FOO", "Unknown type \"FOO\" in HEALTHCHECK (try CMD)")]
    [InlineData("HEALTHCHECK --interval=x --retries=0 BAR", "Unknown type \"BAR\" in HEALTHCHECK (try CMD)")]
    [InlineData("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments")]
    [InlineData("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD")]
    [InlineData("HEALTHCHECK cmd []", "Missing command after HEALTHCHECK CMD")]
    [InlineData("HEALTHCHECK --interval=x --retries=0 CMD", "Missing command after HEALTHCHECK CMD")]
    [InlineData("HEALTHCHECK --foo=1 CMD x", "Unknown flag: foo")]
    [InlineData("HEALTHCHECK --foo=1 BAR", "Unknown flag: foo")]
    [InlineData("HEALTHCHECK --interval=100us CMD x", "Interval \"interval\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --interval=0s CMD x", "Interval \"interval\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --timeout=-1s CMD x", "Interval \"timeout\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --start-period=1us CMD x", "Interval \"start-period\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --interval=abc CMD x", "time: invalid duration \"abc\"")]
    [InlineData("HEALTHCHECK --timeout=5 CMD x", "time: missing unit in duration \"5\"")]
    [InlineData("HEALTHCHECK --timeout=5y CMD x", "time: unknown unit \"y\" in duration \"5y\"")]
    [InlineData("HEALTHCHECK --timeout=.s CMD x", "time: invalid duration \".s\"")]
    [InlineData("HEALTHCHECK --retries=-1 CMD x", "--retries must be at least 1 (not -1)")]
    [InlineData("HEALTHCHECK --retries=0 CMD x", "--retries must be at least 1 (not 0)")]
    [InlineData("HEALTHCHECK --retries=abc CMD x", "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("HEALTHCHECK --retries=99999999999 CMD x", "strconv.ParseInt: parsing \"99999999999\": value out of range")]
    public void HealthcheckErrors(string line, string message) =>
        Assert.Equal("dockerfile parse error line 2: " + message, ErrorOf("FROM busybox\n" + line + "\n"));

    [Fact]
    public void ReportsTheLineAnInstructionStartsOn() =>
        Assert.Equal("dockerfile parse error line 3: USER requires exactly one argument",
            ErrorOf("FROM busybox\n\nUSER \\\n\n"));

    [Fact]
    public void OneLineErrorsUseTheGivenLine()
    {
        Assert.Equal("dockerfile parse error line 9: unknown instruction: FOO",
            Assert.Throws<BerthException>(() => DockerfileParser.ParseLine("FOO bar", '\\', 9)).Message);
        Assert.Equal("ENV must have two arguments",
            Assert.Throws<BerthException>(() => DockerfileParser.ParseLine("ENV x", '\\', 9)).Message);
    }
}

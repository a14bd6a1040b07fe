using Berth.Oci.Errors;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Docker's classic Dockerfile parser. A Dockerfile is checked whole before anything is built, with docker's
/// messages: "failed to parse Dockerfile: …" for what its line parser rejects, "dockerfile parse error line N: …"
/// for an instruction's arguments or flags, and "no build stage in current context" for an instruction before the
/// first FROM (only ARG may come first).
/// </summary>
public static class DockerfileParser
{
    private static readonly HashSet<string> ExecFormKeywords = ["RUN", "CMD", "ENTRYPOINT", "SHELL", "VOLUME", "COPY", "ADD"];

    public static DockerfileDocument Parse(string text) => Parse(text, "Dockerfile");

    /// <param name="text">The Dockerfile's content.</param>
    /// <param name="dockerfileName">The name docker's messages give the file: the build's "dockerfile" parameter.</param>
    public static DockerfileDocument Parse(string text, string dockerfileName)
    {
        if (text.Length == 0) throw BerthException.Invalid($"the Dockerfile ({dockerfileName}) cannot be empty");

        var directives = new ParserDirectives();
        var parsed = new List<(LogicalLine Line, CommandLine Command, SyntaxArguments Arguments)>();
        try
        {
            foreach (var line in LogicalLines.Read(text, directives))
            {
                var command = CommandLine.Split(line.Text);
                parsed.Add((line, command, SyntaxArguments.For(command.Keyword, command.Rest, directives.EscapeToken)));
            }
            if (parsed.Count == 0) throw new DockerfileSyntaxException("file with no instructions");
        }
        catch (DockerfileSyntaxException e)
        {
            throw BerthException.Invalid($"failed to parse {dockerfileName}: {e.Message}");
        }

        var instructions = new List<Instruction>(parsed.Count);
        bool inStage = false;
        foreach (var (line, command, arguments) in parsed)
        {
            CheckRules(command, arguments, line.StartLine);
            inStage |= command.Keyword == "from";
            if (!inStage && command.Keyword != "arg") throw BerthException.Invalid("no build stage in current context");
            instructions.Add(ToInstruction(line, command, arguments));
        }
        return new DockerfileDocument(instructions, directives.EscapeToken);
    }

    /// <summary>
    /// One instruction on its own (an ONBUILD trigger), checked like a Dockerfile's: a syntax error has docker's bare
    /// message, a rule error "dockerfile parse error line {lineNumber}: …".
    /// </summary>
    public static Instruction ParseLine(string line, char escapeToken, int lineNumber)
    {
        var logical = new LogicalLine(line, lineNumber);
        CommandLine command;
        SyntaxArguments arguments;
        try
        {
            if (line.Trim().Length == 0) throw new DockerfileSyntaxException("file with no instructions");
            command = CommandLine.Split(line);
            arguments = SyntaxArguments.For(command.Keyword, command.Rest, escapeToken);
        }
        catch (DockerfileSyntaxException e)
        {
            throw BerthException.Invalid(e.Message);
        }
        CheckRules(command, arguments, lineNumber);
        return ToInstruction(logical, command, arguments);
    }

    private static void CheckRules(CommandLine command, SyntaxArguments arguments, int line)
    {
        try
        {
            InstructionRules.Check(command.Keyword, command.Flags, arguments);
        }
        catch (InstructionRuleException e)
        {
            throw BerthException.Invalid($"dockerfile parse error line {line}: {e.Message}");
        }
    }

    private static Instruction ToInstruction(LogicalLine line, CommandLine command, SyntaxArguments arguments)
    {
        string keyword = command.Keyword.ToUpperInvariant();
        var json = arguments.IsJson && ExecFormKeywords.Contains(keyword) ? arguments.Values : null;
        return new Instruction(keyword, line.Text.Trim(), command.Flags, command.Rest, json, line.StartLine);
    }
}

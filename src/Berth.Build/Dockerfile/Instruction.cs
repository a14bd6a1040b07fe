namespace Berth.Build.Dockerfile;

/// <summary>A leading "--name[=value]" of an instruction: "--from=x" is ("from", "x"), "--flag" is ("flag", null).</summary>
public sealed record InstructionFlag(string Name, string? Value);

/// <summary>One Dockerfile instruction as docker's parser sees it, before any variable is expanded.</summary>
/// <param name="Keyword">Upper case: "FROM", "RUN", …</param>
/// <param name="Original">The instruction as "Step N/M : …" prints it: continuation lines joined, trimmed.</param>
/// <param name="Flags">The leading "--name[=value]" words.</param>
/// <param name="Arguments">What follows the keyword and the flags, trimmed.</param>
/// <param name="JsonArguments">
/// The exec form's strings when the arguments are a JSON array of strings; only for RUN, CMD, ENTRYPOINT, SHELL,
/// VOLUME, COPY and ADD, otherwise null.
/// </param>
/// <param name="Line">The 1-based line where the instruction starts.</param>
public sealed record Instruction(
    string Keyword,
    string Original,
    IReadOnlyList<InstructionFlag> Flags,
    string Arguments,
    IReadOnlyList<string>? JsonArguments,
    int Line);

/// <summary>A parsed Dockerfile: its instructions in order, and the escape character its directive chose.</summary>
public sealed record DockerfileDocument(IReadOnlyList<Instruction> Instructions, char EscapeToken);

namespace Berth.Build.Dockerfile;

// Docker reports a Dockerfile's errors in two stages with different wording, so the parser keeps them apart until
// DockerfileParser words them: the syntax stage ("failed to parse Dockerfile: …") reads the lines, the rule stage
// ("dockerfile parse error line N: …") checks each instruction's arguments and flags.

/// <summary>A syntax-stage error: a bad directive, a JSON array of non-strings, ENV/LABEL without values.</summary>
internal sealed class DockerfileSyntaxException(string message) : Exception(message);

/// <summary>A rule-stage error about one instruction: unknown keyword, argument count, flags.</summary>
internal sealed class InstructionRuleException(string message) : Exception(message);

/// <summary>A variable expansion error: unbalanced quotes or braces, an unset ${VAR:?} or a bad substitution.</summary>
internal sealed class ShellSyntaxException(string message) : Exception(message);

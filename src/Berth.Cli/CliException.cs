namespace Berth.Cli;

/// <summary>A failure the CLI reports itself (not the daemon's words), printed as is, with docker's exit code for it.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

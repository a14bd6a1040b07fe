namespace Berth.Compose;

/// <summary>A compose file or command that cannot be carried out, with Compose's message; the CLI prints it as is.</summary>
public sealed class ComposeException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

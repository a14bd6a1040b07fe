using Berth.Client;
using Berth.Cli.Containers;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>How run and create report failures: "berth: MESSAGE" and a pointer to --help, exit 125 (or 126/127).</summary>
public static class RunErrors
{
    public static string? Describe(Exception e) => e switch
    {
        InvalidOptionException => e.Message,
        EngineApiException => "Error response from daemon: " + e.Message,
        AttachSession.StartFailedException { InnerException: EngineApiException inner } => "Error response from daemon: " + inner.Message,
        JsonMessageException => e.Message,
        _ => null,
    };

    public static int Report(CliContext context, string message, int exitCode)
    {
        context.FlushOut();
        context.Err.Write($"{context.ProgramName}: {message}\n\nRun '{context.CommandPath} --help' for more information\n");
        return exitCode;
    }

    /// <summary>docker's exit codes for a start that failed: 127 command not found, 126 not executable, else 125.</summary>
    public static int StartExitCode(string message)
    {
        if (message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal))
            return 127;
        if (message.Contains("permission denied", StringComparison.Ordinal))
            return 126;
        return 125;
    }
}

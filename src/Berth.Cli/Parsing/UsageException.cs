namespace Berth.Cli.Parsing;

/// <summary>The command line itself is wrong (unknown flag, bad flag value): docker shows usage and exits 125.</summary>
public sealed class UsageException(string message) : Exception(message);

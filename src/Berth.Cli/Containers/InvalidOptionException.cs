namespace Berth.Cli.Containers;

/// <summary>
/// A run/create option that parsed but makes no sense; docker prints "docker: MESSAGE" and
/// "Run 'docker run --help' for more information", exit 125.
/// </summary>
public sealed class InvalidOptionException(string message) : Exception(message);

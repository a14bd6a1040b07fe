namespace Berth.Cli.Formatting;

/// <summary>A <c>--format</c> template that does not parse; docker prints "template parsing error: ..." and exits 64.</summary>
public sealed class TemplateParseException(string message) : Exception(message);

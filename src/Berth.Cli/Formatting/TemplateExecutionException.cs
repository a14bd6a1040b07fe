namespace Berth.Cli.Formatting;

/// <summary>A template that parsed but failed on the data (e.g. a missing key in inspect); docker exits 1 with Go's message.</summary>
public sealed class TemplateExecutionException(string message) : Exception(message);

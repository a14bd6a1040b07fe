namespace Berth.Engine.Logs;

/// <summary>One record of a json-file log: which stream, when, and the bytes written (newline included).</summary>
public readonly record struct LogEntry(bool IsStderr, DateTimeOffset Time, string TimeText, ReadOnlyMemory<byte> Text);

/// <summary>What <c>docker logs</c> asks for.</summary>
public sealed record LogQuery(bool Stdout, bool Stderr, DateTimeOffset? Since, DateTimeOffset? Until, int? Tail, bool Follow);

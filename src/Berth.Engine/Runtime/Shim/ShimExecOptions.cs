namespace Berth.Engine.Runtime.Shim;

/// <summary>How an exec'd process gets its stdio: a TTY of the given size or pipes, and which streams are attached.</summary>
public sealed record ShimExecOptions(bool Tty, bool Stdin, bool Stdout, bool Stderr, int Height = 0, int Width = 0);

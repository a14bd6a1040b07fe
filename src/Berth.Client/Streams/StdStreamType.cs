namespace Berth.Client.Streams;

/// <summary>The first byte of a multiplexed frame header: which stream the payload belongs to.</summary>
public enum StdStreamType : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
    SystemError = 3,
}

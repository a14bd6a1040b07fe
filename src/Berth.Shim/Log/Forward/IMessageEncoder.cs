using Berth.Shim.Io;

namespace Berth.Shim.Log.Forward;

/// <summary>Turns one line of output into the message a logging driver sends (syslog, GELF, fluentd, journald).</summary>
internal interface IMessageEncoder
{
    /// <summary>
    /// Encodes <paramref name="line"/> (without its newline; <paramref name="partial"/> when it had none: a 16 KiB cut or
    /// the stream's unfinished end) read at <paramref name="unixNanos"/> into <paramref name="output"/>. Returns false
    /// when the driver sends nothing for it (syslog and GELF skip empty lines, as Docker's do).
    /// </summary>
    bool Encode(OutputStream stream, ReadOnlySpan<byte> line, bool partial, long unixNanos, ByteBuilder output);
}

namespace Berth.Engine.Runtime.Shim;

/// <summary>
/// shim.json's <c>logForward</c>: the server a container's lines go to (syslog, gelf, fluentd, journald) and how the
/// shim encodes them, everything resolved by the daemon at start (the host an IP literal, the tag rendered). The shim
/// sends from a thread of its own, so the forwarding goes on while the daemon is down. Old shims ignore it.
/// </summary>
/// <param name="Network">udp, tcp, unix (stream) or unixgram.</param>
/// <param name="Facility">syslog's facility number.</param>
/// <param name="Format">syslog: "" (Docker's default), rfc3164, rfc5424 or rfc5424micro.</param>
/// <param name="Compression">gelf over UDP: gzip, zlib or none; <paramref name="CompressionLevel"/> -1 is the default.</param>
/// <param name="SubSecond">fluentd: times with nanoseconds (EventTime).</param>
/// <param name="Fields">The driver's extra members in order, as [name, value] pairs.</param>
public sealed record LogForwardSpec(
    string Driver, string Network, string Host, int Port, string Path, string Tag, string Hostname,
    int Facility, string Format, string Compression, int CompressionLevel, bool SubSecond, List<string[]> Fields);

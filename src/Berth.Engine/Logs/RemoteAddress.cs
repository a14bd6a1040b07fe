using System.Globalization;
using Berth.Oci.Errors;

namespace Berth.Engine.Logs;

/// <summary>
/// A log server's address as the drivers' options give it (<c>udp://host:port</c>, <c>tcp://...</c>,
/// <c>unix:///path</c>, <c>unixgram:///path</c>), parsed with each driver's defaults and messages. The port stays text
/// until the start, where dockerd's dial rejects a bad one.
/// </summary>
internal sealed record RemoteAddress(string Network, string Host, string Port, string Path)
{
    private static readonly string[] TransportSchemes = ["tcp", "tcp+tls", "udp", "unix", "unixgram"];

    /// <summary>host:port as Go's net.JoinHostPort writes it.</summary>
    public string HostPort => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>syslog-address; null when empty (the host's own syslog socket).</summary>
    public static RemoteAddress? ParseSyslog(string text)
    {
        if (text.Length == 0) return null;
        string? scheme = Scheme(text) ?? throw BerthException.Invalid($"syslog-address should be in form proto://address, got {text}");
        string rest = text[(scheme.Length + 3)..];
        if (scheme is "unix" or "unixgram") return new RemoteAddress(scheme, "", "", PathOf(rest));
        var (host, port) = SplitHostPort(rest);
        return new RemoteAddress(scheme, host, port.Length > 0 ? port : "514", "");
    }

    public static RemoteAddress ParseGelf(string text)
    {
        if (text.Length == 0) throw BerthException.Invalid("gelf-address is a required parameter");
        string scheme = Scheme(text) ?? throw BerthException.Invalid($"gelf-address should be in form proto://address, got {text}");
        if (scheme is not ("udp" or "tcp")) throw BerthException.Invalid("gelf: endpoint needs to be TCP or UDP");
        var (host, port) = SplitHostPort(text[(scheme.Length + 3)..]);
        if (port.Length == 0) throw BerthException.Invalid("gelf: please provide gelf-address as proto://host:port");
        return new RemoteAddress(scheme, host, port, "");
    }

    /// <summary>fluentd-address: <c>[tcp://]host[:port]</c> (localhost:24224 by default) or <c>unix:///path</c>.</summary>
    public static RemoteAddress ParseFluentd(string text)
    {
        if (text.Length == 0) return new RemoteAddress("tcp", "localhost", "24224", "");
        string address = Scheme(text) is null ? "tcp://" + text : text;
        string scheme = Scheme(address)!;
        string rest = address[(scheme.Length + 3)..];
        if (scheme == "unix") return new RemoteAddress("unix", "", "", PathOf(rest));
        if (scheme is not ("tcp" or "tls")) throw Invalid($"unsupported scheme: '{scheme}'");
        int slash = rest.IndexOf('/');
        if (slash >= 0 && slash < rest.Length - 1) throw Invalid("should not contain a path element");
        if (slash >= 0) rest = rest[..slash];
        if (rest.Count(c => c == ':') > 1 && !rest.StartsWith('[')) throw Invalid($"address {text}: too many colons in address");
        var (host, port) = SplitHostPort(rest);
        if (port.Length > 0 && !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw Invalid($"parse \"{address}\": invalid port \":{port}\" after host");
        return new RemoteAddress(scheme, host.Length > 0 ? host : "localhost", port.Length > 0 ? port : "24224", "");

        BerthException Invalid(string why) => BerthException.Invalid($"invalid fluentd-address {text}: {why}");
    }

    private static string? Scheme(string text)
    {
        int separator = text.IndexOf("://", StringComparison.Ordinal);
        return separator > 0 && TransportSchemes.Contains(text[..separator]) ? text[..separator] : null;
    }

    /// <summary>The path of <c>unix://PATH</c> (a URL's path: what follows the authority).</summary>
    private static string PathOf(string rest)
    {
        int slash = rest.IndexOf('/');
        return slash < 0 ? "" : rest[slash..];
    }

    /// <summary>Go's url Host split into host and port ("" when there is none), brackets of an IPv6 literal removed.</summary>
    private static (string Host, string Port) SplitHostPort(string hostPort)
    {
        int slash = hostPort.IndexOf('/');
        if (slash >= 0) hostPort = hostPort[..slash];
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']');
            if (close < 0) return (hostPort, "");
            string port = close + 1 < hostPort.Length && hostPort[close + 1] == ':' ? hostPort[(close + 2)..] : "";
            return (hostPort[1..close], port);
        }
        int colon = hostPort.LastIndexOf(':');
        return colon < 0 ? (hostPort, "") : (hostPort[..colon], hostPort[(colon + 1)..]);
    }
}

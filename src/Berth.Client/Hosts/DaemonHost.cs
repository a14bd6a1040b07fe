namespace Berth.Client.Hosts;

/// <summary>How the client reaches a daemon: a unix socket path or a TCP endpoint.</summary>
public enum DaemonTransport
{
    Unix,
    Tcp,
}

/// <summary>
/// A parsed daemon address, as written in <c>-H</c>, <c>BERTH_HOST</c> or <c>DOCKER_HOST</c>:
/// <c>unix:///path</c>, <c>tcp://host:port</c>, <c>host:port</c>, <c>:port</c> (docker's forms).
/// </summary>
public sealed record DaemonHost(DaemonTransport Transport, string Address, string Host, int Port)
{
    public const string DefaultUnixSocket = "/run/berth/berth.sock";
    public const int DefaultTcpPort = 2375;
    public const int DefaultTlsPort = 2376;

    public static DaemonHost Default { get; } = Unix(DefaultUnixSocket);

    public static DaemonHost Unix(string path) => new(DaemonTransport.Unix, path, "", 0);

    /// <summary>Parses a host string; <paramref name="tls"/> only chooses the default TCP port.</summary>
    public static DaemonHost Parse(string value, bool tls = false)
    {
        var text = value.Trim();
        if (text.Length == 0)
            return Default;
        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            return Unix(path.Length == 0 ? DefaultUnixSocket : path);
        }
        if (text.StartsWith("fd://", StringComparison.Ordinal) || text.StartsWith("npipe://", StringComparison.Ordinal)
            || text.StartsWith("ssh://", StringComparison.Ordinal))
            throw new ArgumentException($"invalid host \"{value}\": this transport is not supported by berth");

        var rest = text;
        foreach (var scheme in (ReadOnlySpan<string>)["tcp://", "http://", "https://"])
        {
            if (rest.StartsWith(scheme, StringComparison.Ordinal))
            {
                rest = rest[scheme.Length..];
                break;
            }
        }
        if (rest.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"invalid bind address format: {value}");

        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            if (rest[slash..] != "/")
                throw new ArgumentException($"invalid bind address format: {value}: paths are not supported");
            rest = rest[..slash];
        }

        var (host, portText) = SplitHostPort(rest, value);
        if (host.Length == 0)
            host = "127.0.0.1";
        int port = tls ? DefaultTlsPort : DefaultTcpPort;
        if (portText.Length > 0 && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
            throw new ArgumentException($"invalid bind address format: {value}: invalid port \"{portText}\"");
        var address = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        return new DaemonHost(DaemonTransport.Tcp, address, host, port);
    }

    private static (string Host, string Port) SplitHostPort(string text, string original)
    {
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
                throw new ArgumentException($"invalid bind address format: {original}");
            var host = text[1..close];
            var after = text[(close + 1)..];
            if (after.Length == 0)
                return (host, "");
            if (after[0] != ':')
                throw new ArgumentException($"invalid bind address format: {original}");
            return (host, after[1..]);
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0)
            return (text, "");
        if (text.IndexOf(':') != colon)
            throw new ArgumentException($"invalid bind address format: {original}");
        return (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The canonical form docker prints, e.g. <c>unix:///run/berth/berth.sock</c>, <c>tcp://127.0.0.1:2375</c>.</summary>
    public override string ToString() => Transport == DaemonTransport.Unix ? "unix://" + Address : "tcp://" + Address;
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;

namespace Berth.Engine.Logs;

/// <summary>
/// What a start of a container on syslog, gelf, fluentd or journald hands its shim: the server's address resolved
/// (an IP literal or a socket path), the tag rendered, the driver's fields. Where dockerd's driver connects when the
/// container starts (syslog over TCP or a unix socket, GELF over TCP, fluentd unless fluentd-async), the daemon tries
/// the connection here, so the start fails with dockerd's message ("failed to initialize logging driver: dial tcp
/// 127.0.0.1:514: connect: connection refused") rather than the shim later.
/// </summary>
internal static class RemoteLogTarget
{
    public const string JournalSocket = "/run/systemd/journal/socket";
    private static readonly string[] LocalSyslogSockets = ["/dev/log", "/var/run/syslog", "/var/run/log"];
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    public static LogForwardSpec Resolve(string driver, IReadOnlyDictionary<string, string> options, ContainerRecord container, bool tryServer = true)
    {
        string tag = LogTag.Render(options.GetValueOrDefault("tag"), container);
        string hostname = Dns.GetHostName();
        var attributes = ExtraAttributes(options, container);
        switch (driver)
        {
            case RemoteLogOptions.Syslog:
            {
                var (network, host, port, path) = SyslogTarget(options, tryServer);
                return new LogForwardSpec(driver, network, host, port, path, tag, hostname, RemoteLogOptions.SyslogFacility(options),
                    RemoteLogOptions.SyslogFormat(options), "", -1, false, []);
            }
            case RemoteLogOptions.Gelf:
            {
                var address = RemoteAddress.ParseGelf(options.GetValueOrDefault("gelf-address", ""));
                var (ip, port) = ResolveIp(address, error => $"gelf: cannot connect to GELF endpoint: {address.HostPort} {error}");
                if (tryServer && address.Network == "tcp") Probe("tcp", ip, port, "", error => $"gelf: cannot connect to GELF endpoint: {address.HostPort} {error}");
                var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["_command"] = LogTag.CommandOf(container),
                    ["_container_id"] = container.Id,
                    ["_container_name"] = container.Name.TrimStart('/'),
                    ["_created"] = ApiTime.Format(container.Created),
                    ["_image_id"] = container.ImageId,
                    ["_image_name"] = container.Config.Image,
                    ["_tag"] = tag,
                };
                foreach (var (key, value) in attributes) fields["_" + key] = value;
                int level = int.TryParse(options.GetValueOrDefault("gelf-compression-level"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int l) ? l : -1;
                return new LogForwardSpec(driver, address.Network, ip, port, "", tag, hostname, 0, "",
                    options.GetValueOrDefault("gelf-compression-type", "gzip"), level, false, [.. fields.Select(f => new[] { f.Key, f.Value })]);
            }
            case RemoteLogOptions.Fluentd:
            {
                var address = RemoteAddress.ParseFluentd(options.GetValueOrDefault("fluentd-address", ""));
                if (address.Network == "tls") throw BerthException.NotImplemented("fluentd over TLS is not supported by Berth (tcp:// and unix:// are)");
                bool async = IsTrue(options, "fluentd-async") || IsTrue(options, "fluentd-async-connect");
                string ip = "";
                int port = 0;
                if (address.Network == "tcp") (ip, port) = ResolveIp(address, error => error);
                else if (address.Path.Trim('/').Length == 0) throw LogSettings.Failed("path is empty");
                if (tryServer && !async) Probe(address.Network, ip, port, address.Path, error => error);
                List<string[]> fields = [["container_id", container.Id], ["container_name", "/" + container.Name.TrimStart('/')]];
                fields.AddRange(attributes.Select(a => new[] { a.Key, a.Value }));
                return new LogForwardSpec(driver, address.Network, ip, port, address.Path, tag, hostname, 0, "", "", -1,
                    IsTrue(options, "fluentd-sub-second-precision"), fields);
            }
            default:
            {
                if (!File.Exists(JournalSocket) && !Path.Exists(JournalSocket)) throw LogSettings.Failed("journald is not enabled on this host");
                List<string[]> fields =
                [
                    ["CONTAINER_ID", container.Id[..12]], ["CONTAINER_ID_FULL", container.Id], ["CONTAINER_NAME", container.Name.TrimStart('/')],
                    ["CONTAINER_TAG", tag], ["IMAGE_NAME", container.Config.Image], ["SYSLOG_IDENTIFIER", tag],
                ];
                fields.AddRange(attributes.Select(a => new[] { JournalFieldName(a.Key), a.Value }));
                return new LogForwardSpec(driver, "unixgram", "", 0, JournalSocket, tag, hostname, 0, "", "", -1, false, fields);
            }
        }
    }

    private static (string Network, string Host, int Port, string Path) SyslogTarget(IReadOnlyDictionary<string, string> options, bool tryServer)
    {
        var address = RemoteAddress.ParseSyslog(options.GetValueOrDefault("syslog-address", ""));
        if (address is null)
        {
            // Go's log/syslog: the host's own syslog socket, datagram first.
            string? local = LocalSyslogSockets.FirstOrDefault(Path.Exists);
            return local is null ? throw LogSettings.Failed("Unix syslog delivery error") : ("unixgram", "", 0, local);
        }
        if (address.Network == "tcp+tls") throw BerthException.NotImplemented("syslog over TLS (tcp+tls) is not supported by Berth (udp, tcp, unix and unixgram are)");
        if (address.Network is "unix" or "unixgram")
        {
            if (tryServer && address.Network == "unix") Probe("unix", "", 0, address.Path, error => error);
            return (address.Network, "", 0, address.Path);
        }
        var (ip, port) = ResolveIp(address, error => error);
        if (tryServer && address.Network == "tcp") Probe("tcp", ip, port, "", error => error);
        return (address.Network, ip, port, "");
    }

    /// <summary>The address's host as an IP literal and its port, with Go's dial errors.</summary>
    private static (string Ip, int Port) ResolveIp(RemoteAddress address, Func<string, string> wording)
    {
        string network = address.Network == "udp" ? "udp" : "tcp";
        if (!ushort.TryParse(address.Port, NumberStyles.None, CultureInfo.InvariantCulture, out ushort port))
            throw LogSettings.Failed(wording($"dial {network}: address {address.Port}: invalid port"));
        if (address.Host.Length == 0) return ("127.0.0.1", port);
        if (IPAddress.TryParse(address.Host, out var literal)) return (literal.ToString(), port);
        try
        {
            var all = Dns.GetHostAddresses(address.Host);
            var ip = all.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? all.FirstOrDefault();
            if (ip is not null) return (ip.ToString(), port);
        }
        catch (SocketException)
        {
            // worded below
        }
        throw LogSettings.Failed(wording($"dial {network}: lookup {address.Host}: no such host"));
    }

    /// <summary>Connects once and closes: the start fails as dockerd's does when the server is not there.</summary>
    private static void Probe(string network, string ip, int port, string path, Func<string, string> wording)
    {
        bool unix = network == "unix";
        using var socket = unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(IPAddress.Parse(ip).AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        EndPoint endpoint = unix ? new UnixDomainSocketEndPoint(path) : new IPEndPoint(IPAddress.Parse(ip), port);
        string target = unix ? $"dial unix {path}" : $"dial tcp {new IPEndPoint(IPAddress.Parse(ip), port)}";
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            socket.ConnectAsync(endpoint, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw LogSettings.Failed(wording($"{target}: i/o timeout"));
        }
        catch (SocketException e)
        {
            string why = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.AddressNotAvailable when unix => "no such file or directory",
                SocketError.HostUnreachable => "no route to host",
                SocketError.NetworkUnreachable => "network is unreachable",
                SocketError.AccessDenied => "permission denied",
                _ => e.Message.ToLowerInvariant(),
            };
            if (unix && !Path.Exists(path)) why = "no such file or directory";
            throw LogSettings.Failed(wording($"{target}: connect: {why}"));
        }
    }

    /// <summary>Docker's logger.Info.ExtraAttributes: the labels and env variables the options name (or match), in that order.</summary>
    private static List<KeyValuePair<string, string>> ExtraAttributes(IReadOnlyDictionary<string, string> options, ContainerRecord container)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = container.Config.Labels ?? [];
        foreach (var key in Names(options, "labels"))
            if (labels.TryGetValue(key, out string? value)) result[key] = value;
        if (options.TryGetValue("labels-regex", out string? labelPattern) && TryRegex(labelPattern) is { } labelRegex)
            foreach (var (key, value) in labels)
                if (labelRegex.IsMatch(key)) result[key] = value;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in container.Config.Env ?? [])
        {
            int eq = entry.IndexOf('=');
            if (eq > 0) env[entry[..eq]] = entry[(eq + 1)..];
        }
        foreach (var key in Names(options, "env"))
            if (env.TryGetValue(key, out string? value)) result[key] = value;
        if (options.TryGetValue("env-regex", out string? envPattern) && TryRegex(envPattern) is { } envRegex)
            foreach (var (key, value) in env)
                if (envRegex.IsMatch(key)) result[key] = value;
        return [.. result];
    }

    private static IEnumerable<string> Names(IReadOnlyDictionary<string, string> options, string option) =>
        options.TryGetValue(option, out string? list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    private static Regex? TryRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>journald field names are upper-case letters, digits and underscores.</summary>
    private static string JournalFieldName(string key) =>
        string.Concat(key.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')).TrimStart('_');

    private static bool IsTrue(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out string? text) && LogSettings.ParseBoolOrThrow(text, LogSettings.Failed);
}

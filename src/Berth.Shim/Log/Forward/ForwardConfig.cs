using Berth.Shim.Runtime;

namespace Berth.Shim.Log.Forward;

/// <summary>
/// Where and how a container's lines are forwarded: shim.json's <c>logForward</c> object, which the daemon fills in at
/// start (address resolved, tag rendered, the driver's fields in their order). Absent for json-file, local and none.
/// A logging plugin is driver "plugin" on network "fifo": the lines go as Docker's framed LogEntry messages into the
/// FIFO at <see cref="Path"/>, which the plugin reads.
/// </summary>
internal sealed class ForwardConfig
{
    /// <summary>syslog, gelf, fluentd, journald, or plugin.</summary>
    public string Driver { get; private set; } = "";
    /// <summary>udp, tcp, unix (stream), unixgram, or fifo (a plugin's).</summary>
    public string Network { get; private set; } = "";
    /// <summary>An IP literal for udp/tcp.</summary>
    public string Host { get; private set; } = "";
    public int Port { get; private set; }
    /// <summary>The socket path for unix/unixgram, the FIFO's for fifo.</summary>
    public string Path { get; private set; } = "";
    public string Tag { get; private set; } = "";
    public string Hostname { get; private set; } = "";
    /// <summary>syslog: the facility's number (daemon is 3).</summary>
    public int Facility { get; private set; } = 3;
    /// <summary>syslog: "" (Docker's default, the local form), rfc3164, rfc5424 or rfc5424micro.</summary>
    public string Format { get; private set; } = "";
    /// <summary>gelf over UDP: gzip, zlib or none.</summary>
    public string Compression { get; private set; } = "gzip";
    /// <summary>gelf: -1 (the default: fastest) or 0-9.</summary>
    public int CompressionLevel { get; private set; } = -1;
    /// <summary>fluentd: the time as an EventTime with nanoseconds instead of whole seconds.</summary>
    public bool SubSecond { get; private set; }
    /// <summary>The driver's extra members: gelf's "_container_id"..., fluentd's record members, journald's fields.</summary>
    public List<KeyValuePair<string, string>> Fields { get; } = [];

    public bool Datagram => Network is "udp" or "unixgram";

    public static ForwardConfig From(Dictionary<string, object?> members)
    {
        var config = new ForwardConfig();
        foreach (var (name, value) in members)
        {
            switch (name)
            {
                case "driver": config.Driver = (string?)value ?? ""; break;
                case "network": config.Network = (string?)value ?? ""; break;
                case "host": config.Host = (string?)value ?? ""; break;
                case "port": config.Port = (int)((JsonNumber)value!).ToInt64(); break;
                case "path": config.Path = (string?)value ?? ""; break;
                case "tag": config.Tag = (string?)value ?? ""; break;
                case "hostname": config.Hostname = (string?)value ?? ""; break;
                case "facility": config.Facility = (int)((JsonNumber)value!).ToInt64(); break;
                case "format": config.Format = (string?)value ?? ""; break;
                case "compression": config.Compression = (string?)value ?? "gzip"; break;
                case "compressionLevel": config.CompressionLevel = (int)((JsonNumber)value!).ToInt64(); break;
                case "subSecond": config.SubSecond = (bool)value!; break;
                case "fields":
                    foreach (var pair in (List<object?>)value!)
                    {
                        var items = (List<object?>)pair!;
                        config.Fields.Add(new((string)items[0]!, (string)items[1]!));
                    }
                    break;
                // Members of newer daemons are ignored.
            }
        }
        bool plugin = config.Driver == "plugin" && config.Network == "fifo";
        if (!plugin && (config.Driver is not ("syslog" or "gelf" or "fluentd" or "journald") || config.Network is not ("udp" or "tcp" or "unix" or "unixgram")))
            throw new InvalidDataException($"logForward: unsupported driver \"{config.Driver}\" or network \"{config.Network}\"");
        return config;
    }
}

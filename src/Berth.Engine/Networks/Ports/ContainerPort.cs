using System.Globalization;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ports;

public enum PortProtocol
{
    Tcp,
    Udp,
    Sctp,
}

/// <summary>A container port with its protocol, written as Docker's map keys are: "80/tcp".</summary>
public readonly record struct ContainerPort(int Port, PortProtocol Protocol) : IComparable<ContainerPort>
{
    /// <summary>Parses "80/tcp", "53/udp" or "80" (TCP).</summary>
    public static ContainerPort Parse(string text)
    {
        var ports = ParseRange(text);
        return ports.Count == 1 ? ports[0] : throw BerthException.Invalid($"invalid port {text}: expected a single port");
    }

    /// <summary>Parses a key that may hold a range ("8000-8002/tcp"), as image EXPOSE entries can.</summary>
    public static IReadOnlyList<ContainerPort> ParseRange(string text)
    {
        int slash = text.IndexOf('/');
        string portText = slash < 0 ? text : text[..slash];
        var protocol = ParseProtocol(slash < 0 ? "tcp" : text[(slash + 1)..], text);
        var (start, end) = ParsePortRange(portText, allowZero: false) ?? throw BerthException.Invalid($"invalid port {text}");
        var ports = new List<ContainerPort>(end - start + 1);
        for (int port = start; port <= end; port++) ports.Add(new ContainerPort(port, protocol));
        return ports;
    }

    public static PortProtocol ParseProtocol(string text, string context) => text.ToLowerInvariant() switch
    {
        "tcp" => PortProtocol.Tcp,
        "udp" => PortProtocol.Udp,
        "sctp" => PortProtocol.Sctp,
        _ => throw BerthException.Invalid($"invalid proto: {text} in {context}"),
    };

    /// <summary>"8080" or "8000-8010"; null when malformed or out of 1..65535 (0 too, unless allowed).</summary>
    public static (int Start, int End)? ParsePortRange(string text, bool allowZero)
    {
        int dash = text.IndexOf('-');
        if (!TryParsePort(dash < 0 ? text : text[..dash], allowZero, out int start)) return null;
        int end = start;
        if (dash >= 0 && (!TryParsePort(text[(dash + 1)..], allowZero, out end) || end < start)) return null;
        return (start, end);
    }

    private static bool TryParsePort(string text, bool allowZero, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535 && (port > 0 || allowZero);

    public string ProtocolName => Protocol switch
    {
        PortProtocol.Udp => "udp",
        PortProtocol.Sctp => "sctp",
        _ => "tcp",
    };

    /// <summary>dockerd's order: by number, TCP before the other protocols.</summary>
    public int CompareTo(ContainerPort other) =>
        Port != other.Port ? Port.CompareTo(other.Port) : Protocol.CompareTo(other.Protocol);

    public override string ToString() => $"{Port}/{ProtocolName}";
}

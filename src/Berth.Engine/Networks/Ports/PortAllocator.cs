using System.Net;
using System.Net.Sockets;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ports;

/// <summary>
/// The host ports this daemon has handed out, per address and protocol. A wildcard address (0.0.0.0, ::) clashes
/// with every address of its family. Ephemeral ports come from the kernel's ip_local_port_range (32768-60999) in
/// turn, starting after the last one given, as dockerd's port allocator does. Thread-safe.
/// </summary>
public sealed class PortAllocator
{
    private readonly Lock _gate = new();
    private readonly HashSet<(IPAddress Address, PortProtocol Protocol, int Port)> _allocated = [];
    private readonly Dictionary<(AddressFamily, PortProtocol), int> _lastEphemeral = [];

    public PortAllocator(int ephemeralStart = 32768, int ephemeralEnd = 60999)
    {
        if (ephemeralStart < 1 || ephemeralEnd > 65535 || ephemeralStart > ephemeralEnd)
            throw BerthException.Invalid($"invalid ephemeral port range {ephemeralStart}-{ephemeralEnd}");
        EphemeralStart = ephemeralStart;
        EphemeralEnd = ephemeralEnd;
    }

    public int EphemeralStart { get; }
    public int EphemeralEnd { get; }

    /// <summary>The range the kernel uses for ephemeral ports (/proc/sys/net/ipv4/ip_local_port_range).</summary>
    public static PortAllocator FromKernelRange()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out int start) && int.TryParse(parts[1], out int end))
                return new PortAllocator(start, end);
        }
        catch (IOException)
        {
        }
        return new PortAllocator();
    }

    /// <summary>Takes one given port on every address of <paramref name="addresses"/>, or none of them.</summary>
    public bool TryAllocate(IReadOnlyList<IPAddress> addresses, PortProtocol protocol, int port)
    {
        lock (_gate)
        {
            if (addresses.Any(address => IsTaken(address, protocol, port))) return false;
            foreach (var address in addresses) _allocated.Add((address, protocol, port));
            return true;
        }
    }

    /// <summary>
    /// The candidate ports for a request, in the order to try them: the one port, each port of a range, or the
    /// ephemeral range starting after the last ephemeral port handed out. Ports this daemon holds are skipped.
    /// </summary>
    public IEnumerable<int> Candidates(IReadOnlyList<IPAddress> addresses, PortProtocol protocol, int start, int end)
    {
        if (start != 0)
        {
            for (int port = start; port <= end; port++) yield return port;
            yield break;
        }
        var family = addresses.Count > 0 ? addresses[0].AddressFamily : AddressFamily.InterNetwork;
        int last;
        lock (_gate) last = _lastEphemeral.GetValueOrDefault((family, protocol), EphemeralEnd);
        int count = EphemeralEnd - EphemeralStart + 1;
        for (int i = 1; i <= count; i++)
        {
            int port = EphemeralStart + (last - EphemeralStart + i) % count;
            bool free;
            lock (_gate) free = !addresses.Any(address => IsTaken(address, protocol, port));
            if (free) yield return port;
        }
    }

    /// <summary>Remembers the last ephemeral port handed out, so the next request starts after it.</summary>
    public void NoteEphemeral(IReadOnlyList<IPAddress> addresses, PortProtocol protocol, int port)
    {
        var family = addresses.Count > 0 ? addresses[0].AddressFamily : AddressFamily.InterNetwork;
        lock (_gate) _lastEphemeral[(family, protocol)] = port;
    }

    public void Release(IReadOnlyList<IPAddress> addresses, PortProtocol protocol, int port)
    {
        lock (_gate)
            foreach (var address in addresses) _allocated.Remove((address, protocol, port));
    }

    public bool IsAllocated(IPAddress address, PortProtocol protocol, int port)
    {
        lock (_gate) return IsTaken(address, protocol, port);
    }

    private bool IsTaken(IPAddress address, PortProtocol protocol, int port)
    {
        if (_allocated.Contains((address, protocol, port))) return true;
        var wildcard = address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any;
        if (_allocated.Contains((wildcard, protocol, port))) return true;
        if (!address.Equals(wildcard)) return false;
        // A wildcard request clashes with any specific address of its family.
        foreach (var entry in _allocated)
            if (entry.Protocol == protocol && entry.Port == port && entry.Address.AddressFamily == address.AddressFamily) return true;
        return false;
    }
}

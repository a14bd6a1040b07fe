using System.Net;
using Berth.Engine.Networks.Dns;

namespace Berth.Tests.Networks;

/// <summary>Names of a pretend network: what the daemon's lookup would return for one container.</summary>
internal sealed class FakeDnsRecords(Dictionary<string, IPAddress[]> names) : IDnsRecords
{
    public IReadOnlyList<IPAddress>? Lookup(string name) => names.GetValueOrDefault(name);

    public string? ReverseLookup(IPAddress address) =>
        names.Where(entry => entry.Value.Contains(address)).Select(entry => entry.Key + ".testnet").FirstOrDefault();
}

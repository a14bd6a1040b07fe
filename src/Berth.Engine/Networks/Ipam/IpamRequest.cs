namespace Berth.Engine.Networks.Ipam;

/// <summary>What `network create` asked for (IPAM.Config[0]); every field optional.</summary>
public sealed record IpamRequest(string? Subnet = null, string? Gateway = null, string? IpRange = null)
{
    public IReadOnlyDictionary<string, string>? AuxiliaryAddresses { get; init; }

    public bool IsEmpty => string.IsNullOrEmpty(Subnet) && string.IsNullOrEmpty(Gateway) && string.IsNullOrEmpty(IpRange)
        && (AuxiliaryAddresses is null || AuxiliaryAddresses.Count == 0);
}

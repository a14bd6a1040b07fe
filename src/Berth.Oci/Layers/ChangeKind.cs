namespace Berth.Oci.Layers;

/// <summary>What <c>docker diff</c> prints as C, A and D (the API's Kind 0, 1 and 2).</summary>
public enum ChangeKind
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}

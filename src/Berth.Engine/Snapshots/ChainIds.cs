using System.Text;
using Berth.Oci.Digests;

namespace Berth.Engine.Snapshots;

/// <summary>Chain IDs identify a layer together with everything below it (OCI image spec: ChainID(L₀|…|Lₙ)).</summary>
public static class ChainIds
{
    public static string Next(string? parentChainId, string diffId) =>
        parentChainId is null ? diffId : Digest.Of(Encoding.ASCII.GetBytes(parentChainId + " " + diffId)).ToString();

    public static List<string> FromDiffIds(IEnumerable<string> diffIds)
    {
        var chain = new List<string>();
        string? parent = null;
        foreach (var diffId in diffIds)
        {
            parent = Next(parent, diffId);
            chain.Add(parent);
        }
        return chain;
    }
}

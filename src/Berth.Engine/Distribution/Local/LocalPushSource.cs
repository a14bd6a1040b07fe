using Berth.Engine.Distribution.Push;
using Berth.Engine.Images;
using Berth.Engine.Snapshots;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Local;

/// <summary>Describes a local image for push: its config bytes and, per layer, the blob the layer was registered from.</summary>
public static class LocalPushSource
{
    public static PushImage From(ImageStore images, LayerStore layers, Image image)
    {
        byte[] config = images.ReadConfigBytes(Oci.Digests.Digest.Parse(image.Id));
        var pushLayers = new List<PushLayer>(image.ChainIds.Count);
        foreach (string chainId in image.ChainIds)
        {
            var record = layers.Get(chainId);
            if (record.Blob is null) throw BerthException.NotFound($"layer {record.DiffId}: its blob is not kept, the image cannot be pushed");
            pushLayers.Add(new PushLayer(record.DiffId, record.Blob, record.BlobSize));
        }
        return new PushImage(image.Id, config, pushLayers);
    }
}

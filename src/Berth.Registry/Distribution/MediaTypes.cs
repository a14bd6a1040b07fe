namespace Berth.Registry.Distribution;

public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;
    public static bool IsImageManifest(string mediaType) => mediaType is OciManifest or DockerManifest;
    public static bool IsSupportedManifest(string mediaType) => IsIndex(mediaType) || IsImageManifest(mediaType);
}

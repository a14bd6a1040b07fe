using Berth.Oci.Digests;
using Berth.Registry.Distribution;

namespace Berth.Registry.Http;

public static class Names
{
    public static string Repository(string name) =>
        RepositoryName.IsValid(name) ? name : throw RegistryErrors.NameInvalid(name);

    public static Digest Digest(string? text) =>
        Oci.Digests.Digest.TryParse(text, out var digest)
            ? digest
            : throw RegistryErrors.DigestInvalid($"provided digest did not match uploaded content: \"{text}\" is not a valid digest");
}

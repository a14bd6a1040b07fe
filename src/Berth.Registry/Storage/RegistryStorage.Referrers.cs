using System.Text;
using Berth.Oci.Content;
using Berth.Oci.Digests;

namespace Berth.Registry.Storage;

public sealed partial class RegistryStorage
{
    private string ReferrersPath(string name, Digest subject) => Path.Combine(RepositoryPath(name), "_referrers", subject.Algorithm, subject.Hex);

    /// <summary>Records that <paramref name="referrer"/> (whose descriptor is <paramref name="descriptorJson"/>) refers to <paramref name="subject"/>.</summary>
    public void AddReferrer(string name, Digest subject, Digest referrer, string descriptorJson) =>
        WriteLink(Path.Combine(ReferrersPath(name, subject), $"{referrer.Algorithm}-{referrer.Hex}"), descriptorJson);

    public void RemoveReferrer(string name, Digest subject, Digest referrer) =>
        DeleteFile(Path.Combine(ReferrersPath(name, subject), $"{referrer.Algorithm}-{referrer.Hex}"));

    /// <summary>The descriptor JSON of each manifest referring to <paramref name="subject"/>, in digest order.</summary>
    public List<string> ListReferrers(string name, Digest subject)
    {
        var result = new List<string>();
        string dir = ReferrersPath(name, subject);
        if (!Directory.Exists(dir)) return result;
        var files = Directory.GetFiles(dir);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (Path.GetFileName(file).StartsWith(AtomicFile.TempPrefix, StringComparison.Ordinal)) continue;
            try { result.Add(Encoding.UTF8.GetString(File.ReadAllBytes(file))); }
            catch (FileNotFoundException) { }
        }
        return result;
    }
}

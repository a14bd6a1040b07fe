using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Client.Hosts;

namespace Berth.Client.Contexts;

/// <summary>
/// The docker CLI's context store under <c>&lt;config dir&gt;/contexts</c>, shared with docker itself:
/// <c>meta/&lt;sha256(name)&gt;/meta.json</c> and <c>tls/&lt;sha256(name)&gt;/docker/{ca,cert,key}.pem</c>.
/// Directories are named by digest so any context name is a safe path.
/// </summary>
public sealed partial class ContextStore(string configDirectory)
{
    /// <summary>The TLS file names docker keeps for the docker endpoint.</summary>
    public static readonly IReadOnlyList<string> TlsFileNames = ["ca.pem", "cert.pem", "key.pem"];

    private const string EndpointName = "docker";

    public string Root { get; } = Path.Combine(configDirectory, "contexts");

    public static string Id(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    public string MetadataDirectory(string name) => Path.Combine(Root, "meta", Id(name));

    public string TlsDirectory(string name) => Path.Combine(Root, "tls", Id(name));

    /// <summary>docker's rule for names it creates (and "default" is taken by the implicit context).</summary>
    public static void ValidateNewName(string name)
    {
        if (name == DockerContext.DefaultName)
            throw new ContextStoreException($"\"{name}\" is a reserved context name");
        if (!ValidName().IsMatch(name))
            throw new ContextStoreException(
                $"context name \"{name}\" is invalid, names are validated against regexp \"{ValidName()}\"");
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$")]
    private static partial Regex ValidName();

    public bool Exists(string name) => File.Exists(MetaFile(name));

    public DockerContext Get(string name)
    {
        var file = MetaFile(name);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContextStoreException($"context \"{name}\": context not found: open {file}: no such file or directory", notFound: true);
        }
        try
        {
            return DockerContext.FromJson(Json.Parse(bytes));
        }
        catch (JsonException e)
        {
            throw new ContextStoreException($"context \"{name}\": parsing {file}: {e.Message}");
        }
    }

    /// <summary>Every stored context, by name; unreadable entries are skipped as docker's listing skips them.</summary>
    public IReadOnlyList<DockerContext> List()
    {
        var meta = Path.Combine(Root, "meta");
        if (!Directory.Exists(meta))
            return [];
        var contexts = new List<DockerContext>();
        foreach (var directory in Directory.EnumerateDirectories(meta))
        {
            var file = Path.Combine(directory, "meta.json");
            if (!File.Exists(file))
                continue;
            try
            {
                var context = DockerContext.FromJson(Json.Parse(File.ReadAllBytes(file)));
                if (context.Name.Length > 0)
                    contexts.Add(context);
            }
            catch (JsonException)
            {
                // A half-written or foreign file: docker lists the rest too.
            }
        }
        return contexts.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Writes meta.json (world-readable, as docker leaves it); the TLS files are written separately.</summary>
    public void Save(DockerContext context)
    {
        var directory = MetadataDirectory(context.Name);
        Directory.CreateDirectory(directory);
        WriteAtomically(Path.Combine(directory, "meta.json"), Json.SerializeToUtf8(context.ToJson()), UnixFileMode.UserRead
            | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>The TLS files stored for <paramref name="name"/>, by docker's file names, in name order.</summary>
    public IReadOnlyList<string> TlsFiles(string name)
    {
        var directory = Path.Combine(TlsDirectory(name), EndpointName);
        return TlsFileNames.Where(file => File.Exists(Path.Combine(directory, file))).ToList();
    }

    /// <summary>Replaces the TLS files of <paramref name="name"/> with <paramref name="files"/> (none removes them).</summary>
    public void SaveTls(string name, IReadOnlyDictionary<string, byte[]> files)
    {
        var root = TlsDirectory(name);
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        if (files.Count == 0)
            return;
        var directory = Path.Combine(root, EndpointName);
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(root, OwnerOnly);
        Directory.CreateDirectory(directory, OwnerOnly);
        foreach (var (file, content) in files)
            WriteAtomically(Path.Combine(directory, file), content, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The TLS files' contents, by name (to copy a context's endpoint into another).</summary>
    public Dictionary<string, byte[]> ReadTls(string name)
    {
        var directory = Path.Combine(TlsDirectory(name), EndpointName);
        return TlsFiles(name).ToDictionary(file => file, file => File.ReadAllBytes(Path.Combine(directory, file)), StringComparer.Ordinal);
    }

    public void Remove(string name)
    {
        foreach (var directory in (ReadOnlySpan<string>)[MetadataDirectory(name), TlsDirectory(name)])
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The TLS a stored context asks for, as docker decides it: TLS when there are TLS files or verification is
    /// skipped; the CA (if stored) verifies the daemon unless <c>SkipTLSVerify</c>.
    /// </summary>
    public TlsSettings? TlsFor(DockerContext context)
    {
        var files = TlsFiles(context.Name);
        if (files.Count == 0 && !context.SkipTlsVerify)
            return null;
        var directory = Path.Combine(TlsDirectory(context.Name), EndpointName);
        string? Pick(string file) => files.Contains(file) ? Path.Combine(directory, file) : null;
        return new TlsSettings(Pick("ca.pem"), Pick("cert.pem"), Pick("key.pem"), Verify: !context.SkipTlsVerify);
    }

    private string MetaFile(string name) => Path.Combine(MetadataDirectory(name), "meta.json");

    private static void WriteAtomically(string path, byte[] content, UnixFileMode mode)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(temp, content);
        File.SetUnixFileMode(temp, mode);
        File.Move(temp, path, overwrite: true);
    }
}

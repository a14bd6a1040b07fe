namespace Berth.Oci.Layers.Tar;

/// <summary>
/// The user and group names tar headers get for a file's uid and gid. Docker fills them as Go's tar.FileInfoHeader
/// does, by looking the ids up in an /etc/passwd and /etc/group (first match, empty when none): the host's for image
/// layers, which dockerd writes itself, and the container's for `docker cp` and `docker export`, which dockerd writes
/// from a process chrooted into the container.
/// </summary>
public sealed class OwnerNames(IReadOnlyDictionary<long, string> users, IReadOnlyDictionary<long, string> groups)
{
    /// <summary>Guards against a container whose /etc/passwd is huge or a device that never ends.</summary>
    public const long MaxFileSize = 16 * 1024 * 1024;

    private static readonly Lazy<OwnerNames> HostNames = new(() => new OwnerNames(ReadHost("/etc/passwd"), ReadHost("/etc/group")));

    /// <summary>The host's names, read once per process as Go caches its lookups for the life of dockerd.</summary>
    public static OwnerNames Host => HostNames.Value;

    public static readonly OwnerNames None = new(new Dictionary<long, string>(), new Dictionary<long, string>());

    public string User(long uid) => users.GetValueOrDefault(uid, "");

    public string Group(long gid) => groups.GetValueOrDefault(gid, "");

    /// <summary>name:x:id:... lines; the first name of an id wins, as a lookup that scans the file finds it.</summary>
    public static Dictionary<long, string> Parse(TextReader reader)
    {
        var names = new Dictionary<long, string>();
        while (reader.ReadLine() is { } line)
        {
            string[] fields = line.Split(':');
            if (fields.Length > 2 && fields[0].Length > 0 && long.TryParse(fields[2], out long id)) names.TryAdd(id, fields[0]);
        }
        return names;
    }

    private static Dictionary<long, string> ReadHost(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return Parse(reader);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // No file, no names: the headers keep their numeric ids only, as when Go's lookup fails.
            return [];
        }
    }
}

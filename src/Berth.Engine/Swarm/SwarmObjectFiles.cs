using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Content;

namespace Berth.Engine.Swarm;

/// <summary>
/// One directory of swarm objects of one kind, one JSON file per object, each written atomically. Private objects
/// (secrets) live in a directory only root may enter, in files only root may read.
/// </summary>
internal sealed class SwarmObjectFiles<T>(string directory, JsonTypeInfo<T> typeInfo, bool isPrivate = false) where T : class
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public List<T> LoadAll()
    {
        var objects = new List<T>();
        if (!Directory.Exists(directory)) return objects;
        foreach (string file in Directory.EnumerateFiles(directory, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(file), typeInfo) is { } value) objects.Add(value);
            }
            catch (JsonException)
            {
                // A file this daemon did not finish writing cannot exist (writes are atomic); one that is not ours is skipped.
            }
        }
        return objects;
    }

    public void Write(string id, T value)
    {
        string path = Path.Combine(directory, id + ".json");
        Directory.CreateDirectory(directory);
        // The directory is closed before the file is written, so the file's moment with the umask's mode is unreadable.
        if (isPrivate) File.SetUnixFileMode(directory, OwnerOnly | UnixFileMode.UserExecute);
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        if (isPrivate) File.SetUnixFileMode(path, OwnerOnly);
    }

    public void Delete(string id) => File.Delete(Path.Combine(directory, id + ".json"));

    public T Clone(T value) => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), typeInfo)!;
}

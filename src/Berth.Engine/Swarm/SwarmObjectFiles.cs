using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Content;

namespace Berth.Engine.Swarm;

/// <summary>One directory of swarm objects of one kind, one JSON file per object, each written atomically.</summary>
internal sealed class SwarmObjectFiles<T>(string directory, JsonTypeInfo<T> typeInfo) where T : class
{
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
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, id + ".json"), JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
    }

    public void Delete(string id) => File.Delete(Path.Combine(directory, id + ".json"));

    public T Clone(T value) => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), typeInfo)!;
}

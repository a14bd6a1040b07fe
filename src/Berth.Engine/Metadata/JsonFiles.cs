using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Oci.Content;

namespace Berth.Engine.Metadata;

/// <summary>Metadata files: JSON written atomically (temp, fsync, rename), read leniently (absent → null).</summary>
public static class JsonFiles
{
    public static void Write<T>(string path, T value, JsonTypeInfo<T> typeInfo) =>
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static T? Read<T>(string path, JsonTypeInfo<T> typeInfo) where T : class
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, typeInfo);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }
}

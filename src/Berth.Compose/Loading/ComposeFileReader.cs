using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>Reads one compose file into its YAML documents, each interpolated on its own as Compose does.</summary>
internal static class ComposeFileReader
{
    public const string StdinName = "-";

    /// <summary>Each YAML document of the file (or of <paramref name="stdinText"/> for "-"), interpolated.</summary>
    public static IEnumerable<JsonObject> Read(string file, string? stdinText, Func<string, string?> lookup)
    {
        var text = file == StdinName ? stdinText ?? "" : File.ReadAllText(file);
        var documents = YamlDocumentReader.ReadDocuments(text, file);
        if (documents.Count == 0)
            throw new ComposeException($"{file}: empty compose file");
        foreach (var document in documents)
        {
            // Each file is interpolated on its own, before merging.
            DocumentInterpolator.Interpolate(document, lookup);
            yield return document;
        }
    }

    /// <summary>The file's documents merged into one, for a file read only for what it defines (an extends base).</summary>
    public static JsonObject ReadMerged(string file, Func<string, string?> lookup)
    {
        JsonObject? merged = null;
        foreach (var document in Read(file, null, lookup))
            merged = merged is null ? document : DocumentMerger.Merge(merged, document);
        return merged ?? [];
    }

    /// <summary>An absolute path to a file that must exist, with the error Compose gives when it does not.</summary>
    public static string ExistingFile(string file, string baseDirectory)
    {
        var path = Path.GetFullPath(file, baseDirectory);
        return File.Exists(path) ? path : throw new ComposeException($"open {path}: no such file or directory");
    }
}

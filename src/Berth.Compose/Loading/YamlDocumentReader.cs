using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Compose.Loading;

/// <summary>
/// Reads compose YAML into raw JSON nodes. Every scalar stays text (the model reader converts by field, so `8080`,
/// `true` and `1.5` keep the spelling the user wrote), YAML null becomes a C# null, aliases are resolved into copies
/// and the merge key `&lt;&lt;` is applied. Built on the event parser rather than a serializer so it stays AOT-safe.
/// </summary>
internal sealed class YamlDocumentReader
{
    private const string MergeKey = "<<";
    private const string NullTag = "tag:yaml.org,2002:null";

    private readonly IParser _parser;
    private readonly string _fileName;
    private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

    private YamlDocumentReader(string text, string fileName)
    {
        _parser = new Parser(new StringReader(text));
        _fileName = fileName;
    }

    /// <summary>Every document of the text, in order; each must be a mapping at the top.</summary>
    public static IReadOnlyList<JsonObject> ReadDocuments(string text, string fileName)
    {
        try
        {
            return new YamlDocumentReader(text, fileName).ReadAll();
        }
        catch (YamlException e)
        {
            throw new ComposeException($"{fileName}: yaml: line {e.Start.Line}: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner reports a few malformed inputs (an unclosed flow sequence) this way.
            throw new ComposeException($"{fileName}: yaml: the file is not valid YAML");
        }
    }

    private List<JsonObject> ReadAll()
    {
        var documents = new List<JsonObject>();
        _parser.Consume<StreamStart>();
        while (_parser.TryConsume<DocumentStart>(out _))
        {
            // Anchors do not cross documents in YAML.
            _anchors.Clear();
            var root = ReadNode();
            _parser.Consume<DocumentEnd>();
            documents.Add(root as JsonObject
                ?? throw new ComposeException($"{_fileName}: Top-level object must be a mapping"));
        }
        _parser.Consume<StreamEnd>();
        return documents;
    }

    private JsonNode? ReadNode()
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                throw new ComposeException($"{_fileName}: yaml: line {alias.Start.Line}: unknown anchor '{alias.Value.Value}' referenced");
            return target?.DeepClone();
        }

        var start = _parser.Current as NodeEvent
            ?? throw new ComposeException($"{_fileName}: yaml: unexpected {_parser.Current?.GetType().Name}");
        JsonNode? node = start switch
        {
            Scalar scalar => ReadScalar(scalar),
            SequenceStart => ReadSequence(),
            MappingStart => ReadMapping(),
            _ => throw new ComposeException($"{_fileName}: yaml: line {start.Start.Line}: unexpected {start.GetType().Name}"),
        };
        if (!start.Anchor.IsEmpty)
            _anchors[start.Anchor.Value] = node;
        return node;
    }

    private JsonValue? ReadScalar(Scalar scalar)
    {
        _parser.MoveNext();
        return IsNull(scalar) ? null : JsonValue.Create(scalar.Value);
    }

    private static bool IsNull(Scalar scalar)
    {
        if (!scalar.Tag.IsEmpty)
            return scalar.Tag.Value is NullTag or "!!null";
        return scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
    }

    private JsonArray ReadSequence()
    {
        _parser.MoveNext();
        var array = new JsonArray();
        while (!_parser.TryConsume<SequenceEnd>(out _))
            array.Add(ReadNode());
        return array;
    }

    private JsonObject ReadMapping()
    {
        _parser.MoveNext();
        var explicitEntries = new List<(string Key, JsonNode? Value)>();
        var explicitLines = new Dictionary<string, long>(StringComparer.Ordinal);
        var mergeSources = new List<JsonObject>();
        // Where the merged keys go among the explicit ones: at the place of the `<<` entry.
        var mergePosition = -1;

        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = _parser.Current!;
            var key = ReadKey();
            var value = ReadNode();
            if (key == MergeKey && keyEvent is Scalar { Style: ScalarStyle.Plain })
            {
                mergeSources.AddRange(MergeSources(value, keyEvent.Start.Line));
                mergePosition = mergePosition < 0 ? explicitEntries.Count : mergePosition;
                continue;
            }
            if (explicitLines.TryGetValue(key, out var firstLine))
                throw new ComposeException(
                    $"{_fileName}: yaml: line {keyEvent.Start.Line}: mapping key \"{key}\" already defined at line {firstLine}");
            explicitLines[key] = keyEvent.Start.Line;
            explicitEntries.Add((key, value));
        }

        var mapping = new JsonObject();
        for (var i = 0; i <= explicitEntries.Count; i++)
        {
            if (i == mergePosition)
                AddMergedKeys(mapping, mergeSources, explicitLines);
            if (i < explicitEntries.Count)
                mapping[explicitEntries[i].Key] = explicitEntries[i].Value;
        }
        return mapping;
    }

    /// <summary>YAML merge semantics: keys written in the mapping win, and among several sources the first wins.</summary>
    private static void AddMergedKeys(JsonObject mapping, List<JsonObject> sources, Dictionary<string, long> explicitKeys)
    {
        foreach (var source in sources)
            foreach (var (key, value) in source)
                if (!explicitKeys.ContainsKey(key) && !mapping.ContainsKey(key))
                    mapping[key] = value?.DeepClone();
    }

    private IEnumerable<JsonObject> MergeSources(JsonNode? value, long line) => value switch
    {
        JsonObject single => [single],
        JsonArray list when list.All(item => item is JsonObject) => list.Cast<JsonObject>(),
        _ => throw new ComposeException($"{_fileName}: yaml: line {line}: map merge requires map or sequence of maps as the value"),
    };

    private string ReadKey()
    {
        var keyEvent = _parser.Current!;
        var key = ReadNode();
        if (key is JsonValue value && value.TryGetValue<string>(out var text))
            return text;
        throw new ComposeException($"{_fileName}: yaml: line {keyEvent.Start.Line}: mapping keys must be strings");
    }
}

using System.Text;
using Berth.GoTemplates.Parsing;

namespace Berth.GoTemplates.Execution;

/// <summary>Everything an execution needs: the parsed trees by name, the function table and the options.</summary>
internal sealed class CompiledTemplate(
    string name,
    string text,
    Dictionary<string, ListNode> trees,
    Dictionary<string, FunctionDefinition> functions,
    IReadOnlyDictionary<string, TemplateMethod>? methods,
    MissingKeyMode missingKey)
{
    public string Name { get; } = name;
    public string Text { get; } = text;
    public Dictionary<string, ListNode> Trees { get; } = trees;
    public Dictionary<string, FunctionDefinition> Functions { get; } = functions;
    public IReadOnlyDictionary<string, TemplateMethod>? Methods { get; } = methods is { Count: > 0 } ? methods : null;
    public MissingKeyMode MissingKey { get; } = missingKey;

    /// <summary>Go's ErrorContext location: 1-based line, and the byte offset within the line (0-based on line 1).</summary>
    public (int Line, int Column) Location(int pos)
    {
        pos = Math.Clamp(pos, 0, Text.Length);
        var before = Text.AsSpan(0, pos);
        var lastNewline = before.LastIndexOf('\n');
        var line = 1 + before.Count('\n');
        var column = lastNewline < 0
            ? Encoding.UTF8.GetByteCount(before)
            : Encoding.UTF8.GetByteCount(before[(lastNewline + 1)..]);
        return (line, column);
    }
}

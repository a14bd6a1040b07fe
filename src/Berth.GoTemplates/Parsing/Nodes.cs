using System.Text;
using Berth.GoText;

namespace Berth.GoTemplates.Parsing;

/// <summary>
/// The parse tree of text/template. Pos is the char index of the node in the template text; the
/// text each node prints (ToString) is what Go shows inside "at &lt;...&gt;" in execution errors.
/// </summary>
internal abstract class Node(int pos)
{
    public int Pos { get; } = pos;

    public abstract void WriteTo(StringBuilder sb);

    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }
}

internal sealed class ListNode(int pos) : Node(pos)
{
    public List<Node> Nodes { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var node in Nodes)
            node.WriteTo(sb);
    }

    /// <summary>Go's parse.IsEmptyTree: only whitespace text and comments.</summary>
    public bool IsEmpty() => Nodes.All(static n => n switch
    {
        TextNode text => string.IsNullOrWhiteSpace(text.Text),
        ListNode list => list.IsEmpty(),
        _ => false,
    });
}

internal sealed class TextNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

internal sealed class PipeNode(int pos, int line) : Node(pos)
{
    public int Line { get; } = line;
    public bool IsAssign { get; set; }
    public List<VariableNode> Decl { get; } = [];
    public List<CommandNode> Commands { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        if (Decl.Count > 0)
        {
            for (var i = 0; i < Decl.Count; i++)
            {
                if (i > 0)
                    sb.Append(", ");
                Decl[i].WriteTo(sb);
            }
            sb.Append(" := ");
        }
        for (var i = 0; i < Commands.Count; i++)
        {
            if (i > 0)
                sb.Append(" | ");
            Commands[i].WriteTo(sb);
        }
    }
}

internal sealed class ActionNode(int pos, int line, PipeNode pipe) : Node(pos)
{
    public int Line { get; } = line;
    public PipeNode Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{");
        Pipe.WriteTo(sb);
        sb.Append("}}");
    }
}

internal sealed class CommandNode(int pos) : Node(pos)
{
    public List<Node> Args { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        for (var i = 0; i < Args.Count; i++)
        {
            if (i > 0)
                sb.Append(' ');
            if (Args[i] is PipeNode pipe)
            {
                sb.Append('(');
                pipe.WriteTo(sb);
                sb.Append(')');
                continue;
            }
            Args[i].WriteTo(sb);
        }
    }
}

/// <summary>A function name.</summary>
internal sealed class IdentifierNode(int pos, string name) : Node(pos)
{
    public string Name { get; } = name;

    public override void WriteTo(StringBuilder sb) => sb.Append(Name);
}

/// <summary>$x or $x.Field.Path; Ident[0] is the variable name.</summary>
internal sealed class VariableNode(int pos, string text) : Node(pos)
{
    public string[] Ident { get; } = text.Split('.');

    public override void WriteTo(StringBuilder sb) => sb.AppendJoin('.', Ident);
}

internal sealed class DotNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append('.');
}

internal sealed class NilNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("nil");
}

/// <summary>.Field.Path, without the leading dot in Ident.</summary>
internal sealed class FieldNode(int pos, string text) : Node(pos)
{
    public string[] Ident { get; } = text[1..].Split('.');

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var id in Ident)
            sb.Append('.').Append(id);
    }
}

/// <summary>A term followed by fields: (pipeline).Field or func.Field.</summary>
internal sealed class ChainNode(int pos, Node node) : Node(pos)
{
    public Node Node { get; } = node;
    public List<string> Field { get; } = [];

    public override void WriteTo(StringBuilder sb)
    {
        if (Node is PipeNode)
        {
            sb.Append('(');
            Node.WriteTo(sb);
            sb.Append(')');
        }
        else
        {
            Node.WriteTo(sb);
        }
        foreach (var field in Field)
            sb.Append('.').Append(field);
    }
}

internal sealed class BoolNode(int pos, bool value) : Node(pos)
{
    public bool Value { get; } = value;

    public override void WriteTo(StringBuilder sb) => sb.Append(Value ? "true" : "false");
}

internal sealed class NumberNode(int pos, string text) : Node(pos)
{
    public string Text { get; } = text;
    public bool IsInt { get; set; }
    public bool IsUint { get; set; }
    public bool IsFloat { get; set; }
    public bool IsComplex { get; set; }
    public long Int64 { get; set; }
    public ulong Uint64 { get; set; }
    public double Float64 { get; set; }

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

internal sealed class StringNode(int pos, string quoted, string text) : Node(pos)
{
    public string Quoted { get; } = quoted;
    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append(Quoted);
}

internal enum BranchKind
{
    If,
    Range,
    With,
}

/// <summary>if, range and with: a pipeline, a body and an optional else body.</summary>
internal sealed class BranchNode(BranchKind kind, int pos, int line, PipeNode pipe, ListNode list, ListNode? elseList) : Node(pos)
{
    public BranchKind Kind { get; } = kind;
    public int Line { get; } = line;
    public PipeNode Pipe { get; } = pipe;
    public ListNode List { get; } = list;
    public ListNode? ElseList { get; } = elseList;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{").Append(Kind switch { BranchKind.If => "if", BranchKind.Range => "range", _ => "with" }).Append(' ');
        Pipe.WriteTo(sb);
        sb.Append("}}");
        List.WriteTo(sb);
        if (ElseList is not null)
        {
            sb.Append("{{else}}");
            ElseList.WriteTo(sb);
        }
        sb.Append("{{end}}");
    }
}

internal sealed class TemplateNode(int pos, int line, string name, PipeNode? pipe) : Node(pos)
{
    public int Line { get; } = line;
    public string Name { get; } = name;
    public PipeNode? Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{template ").Append(GoQuote.Quote(Name));
        if (Pipe is not null)
        {
            sb.Append(' ');
            Pipe.WriteTo(sb);
        }
        sb.Append("}}");
    }
}

internal sealed class BreakNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{break}}");
}

internal sealed class ContinueNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{continue}}");
}

/// <summary>{{end}} while parsing; never in a finished tree.</summary>
internal sealed class EndNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{end}}");
}

/// <summary>{{else}} while parsing; never in a finished tree.</summary>
internal sealed class ElseNode(int pos) : Node(pos)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("{{else}}");
}

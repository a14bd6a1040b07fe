using System.Text;
using System.Text.Json.Nodes;
using Berth.GoTemplates.Formatting;
using Berth.GoTemplates.Parsing;
using Berth.GoText;

namespace Berth.GoTemplates.Execution;

/// <summary>
/// Walks a parsed template over one data value, following text/template's exec.go: the same
/// evaluation order, argument checks, variable scoping and error texts. One instance per execution.
/// </summary>
internal sealed partial class Executor
{
    // Go allows 100000 nested template calls; a deep .NET stack is smaller, so stop well before it.
    private const int MaxTemplateDepth = 1000;

    /// <summary>Go's missingVal: "no value was piped into this command".</summary>
    private static readonly object NoFinal = new();

    private readonly CompiledTemplate _template;
    private readonly StringBuilder _out;
    private readonly List<KeyValuePair<string, object?>> _vars = new(8);
    private string _templateName;
    private Node? _node;
    private int _depth;

    // Dot is an element of a list or map being ranged over: Go knows its type only as interface {}.
    private bool _dotIsElement;

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public Executor(CompiledTemplate template, StringBuilder output)
    {
        _template = template;
        _out = output;
        _templateName = template.Name;
    }

    private bool Strict => _template.MissingKey == MissingKeyMode.Error;

    public void Execute(object? data)
    {
        _vars.Add(new("$", data));
        Walk(data, _template.Trees[_template.Name]);
    }

    private TemplateException Error(string message)
    {
        var name = GoQuote.Quote(_templateName);
        if (_node is null)
            return new TemplateException($"template: {_template.Name}: {message}");
        var (line, column) = _template.Location(_node.Pos);
        return new TemplateException($"template: {_template.Name}:{line}:{column}: executing {name} at <{_node}>: {message}");
    }

    private Flow Walk(object? dot, Node node)
    {
        _node = node;
        switch (node)
        {
            case TextNode text:
                _out.Append(text.Text);
                return Flow.Normal;
            case ActionNode action:
            {
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                    PrintValue(action, value);
                return Flow.Normal;
            }
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    var flow = Walk(dot, child);
                    if (flow != Flow.Normal)
                        return flow;
                }
                return Flow.Normal;
            case BranchNode { Kind: BranchKind.Range } range:
                WalkRange(dot, range);
                return Flow.Normal;
            case BranchNode branch:
                return WalkIfOrWith(dot, branch);
            case TemplateNode template:
                WalkTemplate(dot, template);
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw Error($"unknown node: {node}");
        }
    }

    private Flow WalkIfOrWith(object? dot, BranchNode branch)
    {
        var mark = _vars.Count;
        var value = EvalPipeline(dot, branch.Pipe);
        var flow = Flow.Normal;
        if (!Values.IsTrue(value))
        {
            if (branch.ElseList is not null)
                flow = Walk(dot, branch.ElseList);
        }
        else if (branch.Kind == BranchKind.With)
        {
            var outer = _dotIsElement;
            _dotIsElement = false;
            flow = Walk(value, branch.List);
            _dotIsElement = outer;
        }
        else
        {
            flow = Walk(dot, branch.List);
        }
        Pop(mark);
        return flow;
    }

    private void WalkRange(object? dot, BranchNode range)
    {
        _node = range;
        var mark = _vars.Count;
        var value = EvalPipeline(dot, range.Pipe);
        var iterationMark = _vars.Count;
        var declared = range.Pipe.Decl.Count;

        // Returns false when {{break}} ends the loop.
        bool Iterate(object? index, object? element)
        {
            if (declared > 0)
                _vars[^1] = new(_vars[^1].Key, element);
            if (declared > 1)
                _vars[^2] = new(_vars[^2].Key, index);
            var outer = _dotIsElement;
            _dotIsElement = value is not long;
            var flow = Walk(element, range.List);
            _dotIsElement = outer;
            Pop(iterationMark);
            return flow != Flow.Break;
        }

        var ran = false;
        switch (value)
        {
            case JsonObject map when map.Count > 0:
                ran = true;
                foreach (var entry in Values.SortedEntries(map))
                {
                    if (!Iterate(entry.Key, Values.FromNode(entry.Value)))
                        break;
                }
                break;
            case JsonObject:
            case null or NoValue:
                break;
            case long count:
                // Go 1.22 ranges over an integer: 0..n-1.
                if (declared > 1)
                    throw Error($"can't use {GoFormatter.FormatValue(value)} to iterate over more than one variable");
                for (long i = 0; i < count; i++)
                {
                    ran = true;
                    if (!Iterate(i, i))
                        break;
                }
                break;
            default:
                if (!Values.IsList(value))
                    throw Error($"range can't iterate over {GoFormatter.FormatValue(value)}");
                var length = Values.Count(value!);
                for (var i = 0; i < length; i++)
                {
                    ran = true;
                    if (!Iterate((long)i, Values.ElementAt(value!, i)))
                        break;
                }
                break;
        }
        if (!ran && range.ElseList is not null)
            Walk(dot, range.ElseList);
        Pop(mark);
    }

    private void WalkTemplate(object? dot, TemplateNode node)
    {
        _node = node;
        if (!_template.Trees.TryGetValue(node.Name, out var tree))
            throw Error($"template {GoQuote.Quote(node.Name)} not defined");
        if (_depth == MaxTemplateDepth)
            throw Error($"exceeded maximum template depth ({MaxTemplateDepth})");
        var newDot = EvalPipeline(dot, node.Pipe);
        var savedVars = _vars.ToArray();
        var savedName = _templateName;
        _vars.Clear();
        _vars.Add(new("$", newDot));
        _templateName = node.Name;
        var outerElement = _dotIsElement;
        _dotIsElement = false;
        _depth++;
        Walk(newDot, tree);
        _depth--;
        _dotIsElement = outerElement;
        _templateName = savedName;
        _vars.Clear();
        _vars.AddRange(savedVars);
    }

    private void PrintValue(Node node, object? value)
    {
        _node = node;
        if (value is NoValue)
            _out.Append("<no value>");
        else if (value is string s)
            _out.Append(s);
        else
            GoFormatter.AppendValue(_out, value);
    }

    private void Pop(int mark) => _vars.RemoveRange(mark, _vars.Count - mark);

    private void SetVariable(string name, object? value)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Key == name)
            {
                _vars[i] = new(name, value);
                return;
            }
        }
        throw Error($"undefined variable: {name}");
    }

    private object? VariableValue(string name)
    {
        for (var i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Key == name)
                return _vars[i].Value;
        }
        throw Error($"undefined variable: {name}");
    }
}

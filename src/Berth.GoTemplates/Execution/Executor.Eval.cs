using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Berth.GoTemplates.Parsing;
using Berth.GoText;

namespace Berth.GoTemplates.Execution;

internal sealed partial class Executor
{
    private object? EvalPipeline(object? dot, PipeNode? pipe)
    {
        if (pipe is null)
            return NoValue.Instance;
        _node = pipe;
        var value = NoFinal;
        foreach (var command in pipe.Commands)
            value = EvalCommand(dot, command, value); // the previous value is this command's final argument
        foreach (var variable in pipe.Decl)
        {
            if (pipe.IsAssign)
                SetVariable(variable.Ident[0], value);
            else
                _vars.Add(new(variable.Ident[0], value));
        }
        return value;
    }

    private object? EvalCommand(object? dot, CommandNode command, object? final)
    {
        var first = command.Args[0];
        switch (first)
        {
            case FieldNode field:
                return EvalFieldNode(dot, field, command.Args, final);
            case ChainNode chain:
                return EvalChainNode(dot, chain, command.Args, final);
            case IdentifierNode identifier:
                return EvalFunction(dot, identifier, command, command.Args, final);
            case PipeNode pipe:
                NotAFunction(command.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariableNode(dot, variable, command.Args, final);
        }
        _node = first;
        NotAFunction(command.Args, final);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Error("nil is not a command"),
            NumberNode number => IdealConstant(number),
            StringNode s => s.Text,
            _ => throw Error($"can't evaluate command {GoQuote.Quote(first.ToString())}"),
        };
    }

    private void NotAFunction(List<Node>? args, object? final)
    {
        if (args is { Count: > 1 } || final != NoFinal)
            throw Error($"can't give argument to non-function {args?[0]}");
    }

    /// <summary>An untyped number constant: float64 if written as one, else int.</summary>
    private object IdealConstant(NumberNode constant)
    {
        _node = constant;
        if (constant.IsComplex)
            throw Error("complex numbers are not supported");
        var text = constant.Text;
        var isHexInt = text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X' && text.AsSpan().IndexOfAny("pP") < 0;
        var isRune = text.Length > 0 && text[0] == '\'';
        if (constant.IsFloat && !isHexInt && !isRune && text.AsSpan().IndexOfAny(".eEpP") >= 0)
            return constant.Float64;
        if (constant.IsInt)
            return constant.Int64;
        throw Error($"{text} overflows int");
    }

    private object? EvalFieldNode(object? dot, FieldNode field, List<Node>? args, object? final)
    {
        _node = field;
        return EvalFieldChain(dot, dot, field, field.Ident, args, final, _dotIsElement);
    }

    private object? EvalChainNode(object? dot, ChainNode chain, List<Node>? args, object? final)
    {
        _node = chain;
        if (chain.Node is NilNode)
            throw Error($"indirection through explicit nil in {chain}");
        var receiver = EvalUntyped(dot, chain.Node);
        return EvalFieldChain(dot, receiver, chain, CollectionsMarshal.AsSpan(chain.Field), args, final, false);
    }

    private object? EvalVariableNode(object? dot, VariableNode variable, List<Node>? args, object? final)
    {
        _node = variable;
        var value = VariableValue(variable.Ident[0]);
        if (variable.Ident.Length == 1)
        {
            NotAFunction(args, final);
            return value;
        }
        return EvalFieldChain(dot, value, variable, variable.Ident.AsSpan(1), args, final, false);
    }

    private object? EvalFieldChain(object? dot, object? receiver, Node node, ReadOnlySpan<string> ident, List<Node>? args, object? final, bool receiverFromMap)
    {
        for (var i = 0; i < ident.Length - 1; i++)
            receiver = EvalField(dot, ident[i], node, null, NoFinal, receiver, i > 0 || receiverFromMap);
        return EvalField(dot, ident[^1], node, args, final, receiver, ident.Length > 1 || receiverFromMap);
    }

    private object? EvalFunction(object? dot, IdentifierNode identifier, Node command, List<Node>? args, object? final)
    {
        _node = identifier;
        if (!_template.Functions.TryGetValue(identifier.Name, out var function))
            throw Error($"{GoQuote.Quote(identifier.Name)} is not a defined function");
        return EvalCall(dot, function, command, identifier.Name, args, final);
    }

    /// <param name="fromMap">The receiver was itself read from a map, so Go knows its type only as interface {}.</param>
    private object? EvalField(object? dot, string name, Node node, List<Node>? args, object? final, object? receiver, bool fromMap)
    {
        if (receiver is NoValue)
        {
            if (Strict)
                throw Error($"nil data; no entry for key {GoQuote.Quote(name)}");
            return NoValue.Instance;
        }
        if (receiver is JsonObject target && _template.Methods is { } methods && methods.TryGetValue(name, out var method))
            return EvalCall(dot, MethodDefinition(name, method, target), node, name, args, final);
        var hasArgs = args is { Count: > 1 } || final != NoFinal;
        switch (receiver)
        {
            case JsonObject map:
                if (hasArgs)
                    throw Error($"{name} is not a method but has arguments");
                if (map.TryGetPropertyValue(name, out var child))
                    return Values.FromNode(child);
                if (Strict)
                    throw Error($"map has no entry for key {GoQuote.Quote(name)}");
                return NoValue.Instance;
            case null:
                // A JSON null is a nil map or pointer in docker's typed data: a nil map has no keys.
                if (Strict)
                    throw Error($"nil pointer evaluating interface {{}}.{name}");
                return NoValue.Instance;
        }
        throw Error($"can't evaluate field {name} in type {(fromMap ? "interface {}" : Values.TypeName(receiver))}");
    }

    private static FunctionDefinition MethodDefinition(string name, TemplateMethod method, JsonObject receiver) =>
        new(name, [], ParameterKind.Any, args =>
        {
            try
            {
                return Values.FromNode(method(receiver, args.Select(Values.ToNode).ToArray()));
            }
            catch (Exception e) when (e is not FunctionFailure)
            {
                throw new FunctionFailure(e.Message);
            }
        });

    private object? EvalCall(object? dot, FunctionDefinition function, Node node, string name, List<Node>? args, object? final)
    {
        var argCount = args is null ? 0 : args.Count - 1; // args[0] is the function or field itself
        var hasFinal = final != NoFinal;
        var numIn = argCount + (hasFinal ? 1 : 0);
        var numFixed = argCount;
        var parameters = function.Parameters;
        if (function.Variadic is not null)
        {
            numFixed = parameters.Length;
            if (numIn < numFixed)
                throw Error($"wrong number of args for {name}: want at least {parameters.Length} got {argCount}");
        }
        else if (numIn != parameters.Length)
        {
            throw Error($"wrong number of args for {name}: want {parameters.Length} got {numIn}");
        }

        if (function.IsBuiltin && name is "and" or "or")
        {
            object? value = NoValue.Instance;
            for (var i = 1; i <= argCount; i++)
            {
                value = EvalArg(dot, ParameterKind.Value, args![i]);
                if (Values.IsTrue(value) == (name == "or"))
                    return value;
            }
            if (hasFinal)
                value = ValidateType(final, ParameterKind.Value);
            return value;
        }

        var argv = new object?[numIn];
        var k = 0;
        for (; k < numFixed && k < argCount; k++)
            argv[k] = EvalArg(dot, parameters[k], args![k + 1]);
        if (function.Variadic is { } elementKind)
        {
            for (; k < argCount; k++)
                argv[k] = EvalArg(dot, elementKind, args![k + 1]);
        }
        if (hasFinal)
        {
            var kind = function.Variadic is { } variadic && numIn - 1 >= numFixed ? variadic : parameters[numIn - 1];
            argv[k] = ValidateType(final, kind);
        }
        try
        {
            return function.Invoke(argv);
        }
        catch (FunctionFailure e)
        {
            _node = node;
            throw Error($"error calling {name}: {e.Message}");
        }
    }

    /// <summary>Evaluates an argument for a parameter of the given Go type, with Go's conversions and errors.</summary>
    private object? EvalArg(object? dot, ParameterKind kind, Node node)
    {
        _node = node;
        switch (node)
        {
            case DotNode:
                return ValidateType(dot, kind);
            case NilNode:
                if (kind is ParameterKind.Any or ParameterKind.StringList)
                    return null;
                if (kind == ParameterKind.Value)
                    return NoValue.Instance;
                throw Error($"cannot assign nil to {FunctionDefinition.GoTypeName(kind)}");
            case FieldNode field:
                return ValidateType(EvalFieldNode(dot, field, [node], NoFinal), kind, fromMap: true);
            case VariableNode variable:
                return ValidateType(EvalVariableNode(dot, variable, null, NoFinal), kind, fromMap: variable.Ident.Length > 1);
            case PipeNode pipe:
                return ValidateType(EvalPipeline(dot, pipe), kind);
            case IdentifierNode identifier:
                return ValidateType(EvalFunction(dot, identifier, identifier, null, NoFinal), kind);
            case ChainNode chain:
                return ValidateType(EvalChainNode(dot, chain, null, NoFinal), kind, fromMap: true);
        }
        switch (kind)
        {
            case ParameterKind.String:
                if (node is StringNode s)
                    return s.Text;
                throw Error($"expected string; found {node}");
            case ParameterKind.Int:
                if (node is NumberNode { IsInt: true } n)
                    return n.Int64;
                throw Error($"expected integer; found {node}");
            case ParameterKind.Any or ParameterKind.Value:
                return node switch
                {
                    BoolNode b => b.Value,
                    NumberNode number => IdealConstant(number),
                    StringNode text => text.Text,
                    _ => throw Error($"can't handle assignment of {node} to empty interface argument"),
                };
            default:
                throw Error($"can't handle {node} for arg of type {FunctionDefinition.GoTypeName(kind)}");
        }
    }

    /// <summary>Evaluates the term of a chain such as (pipeline).Field: no conversion.</summary>
    private object? EvalUntyped(object? dot, Node node)
    {
        _node = node;
        return node switch
        {
            DotNode => dot,
            FieldNode field => EvalFieldNode(dot, field, [node], NoFinal),
            VariableNode variable => EvalVariableNode(dot, variable, null, NoFinal),
            PipeNode pipe => EvalPipeline(dot, pipe),
            IdentifierNode identifier => EvalFunction(dot, identifier, identifier, null, NoFinal),
            ChainNode chain => EvalChainNode(dot, chain, null, NoFinal),
            _ => throw Error($"can't handle {node} for arg of type <nil>"),
        };
    }

    /// <param name="fromMap">
    /// The value was read straight from a map: Go then still holds a JSON null as an interface {}
    /// (a pipeline unwraps it to an invalid value), which changes the error text.
    /// </param>
    private object? ValidateType(object? value, ParameterKind kind, bool fromMap = false)
    {
        switch (kind)
        {
            case ParameterKind.Any:
                return value is NoValue ? null : value;
            case ParameterKind.Value:
                return value;
            case ParameterKind.String:
                if (value is string)
                    return value;
                break;
            case ParameterKind.Int:
                if (value is long)
                    return value;
                break;
            case ParameterKind.StringList:
                if (Values.IsNil(value))
                    return null;
                if (value is string[])
                    return value;
                if (Values.IsList(value) && AllStrings(value!) is { } strings)
                    return strings;
                break;
        }
        var typeName = FunctionDefinition.GoTypeName(kind);
        if (value is NoValue || value is null && !fromMap)
            throw Error($"invalid value; expected {typeName}");
        var actual = value is null ? "interface {}" : Values.TypeName(value);
        throw Error($"wrong type for value; expected {typeName}; got {actual}");
    }

    /// <summary>A JSON array of strings stands for the []string fields of docker's typed data.</summary>
    private static string[]? AllStrings(object list)
    {
        var count = Values.Count(list);
        var strings = new string[count];
        for (var i = 0; i < count; i++)
        {
            if (Values.ElementAt(list, i) is not string s)
                return null;
            strings[i] = s;
        }
        return strings;
    }
}

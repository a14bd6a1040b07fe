namespace Berth.GoTemplates.Execution;

/// <summary>
/// The Go parameter types the template engine distinguishes when it converts arguments:
/// interface{} (Any), reflect.Value (Value: missing values stay missing), string, int and []string.
/// </summary>
internal enum ParameterKind
{
    Any,
    Value,
    String,
    Int,
    StringList,
}

/// <summary>A function callable from a template, with Go's signature so arguments are checked as Go checks them.</summary>
internal sealed class FunctionDefinition(
    string name,
    ParameterKind[] parameters,
    ParameterKind? variadic,
    Func<object?[], object?> invoke,
    bool isBuiltin = false)
{
    public string Name { get; } = name;

    /// <summary>The fixed parameters.</summary>
    public ParameterKind[] Parameters { get; } = parameters;

    /// <summary>The element kind of a trailing variadic parameter, if any.</summary>
    public ParameterKind? Variadic { get; } = variadic;

    /// <summary>Calls the function; a <see cref="FunctionFailure"/> becomes "error calling NAME: message".</summary>
    public Func<object?[], object?> Invoke { get; } = invoke;

    /// <summary>Only the builtin and/or short-circuit.</summary>
    public bool IsBuiltin { get; } = isBuiltin;

    public static string GoTypeName(ParameterKind kind) => kind switch
    {
        ParameterKind.Any => "interface {}",
        ParameterKind.Value => "reflect.Value",
        ParameterKind.String => "string",
        ParameterKind.Int => "int",
        _ => "[]string",
    };
}

/// <summary>A function's error, reported by the engine as "error calling NAME: message".</summary>
internal sealed class FunctionFailure(string message) : Exception(message);

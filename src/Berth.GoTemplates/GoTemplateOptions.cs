namespace Berth.GoTemplates;

/// <summary>What a field that the data does not have evaluates to; Go's "missingkey" option.</summary>
public enum MissingKeyMode
{
    /// <summary>"&lt;no value&gt;", as for a Go map. A JSON null map or index on it is lenient, as docker's typed structs are.</summary>
    Default,

    /// <summary>An execution error ("map has no entry for key"), as the docker CLI's inspect fallback evaluates raw JSON.</summary>
    Error,
}

/// <summary>How a template is parsed and executed.</summary>
public sealed record GoTemplateOptions
{
    /// <summary>Functions added to Go's builtins and docker's functions; a name here replaces one of theirs.</summary>
    public IReadOnlyDictionary<string, TemplateFunction>? Functions { get; init; }

    /// <summary>Methods callable on the data's objects as <c>.Name arg...</c>.</summary>
    public IReadOnlyDictionary<string, TemplateMethod>? Methods { get; init; }

    public MissingKeyMode MissingKey { get; init; }

    /// <summary>Use docker's header functions, which leave column names intact (json, split, join, title, lower, upper, truncate).</summary>
    public bool TableHeader { get; init; }
}

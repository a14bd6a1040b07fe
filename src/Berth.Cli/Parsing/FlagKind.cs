namespace Berth.Cli.Parsing;

/// <summary>The value types of docker's flags that matter for parsing (pflag's semantics differ only by these).</summary>
public enum FlagKind
{
    /// <summary>Takes no value (<c>--rm</c>), or an attached one (<c>--rm=false</c>).</summary>
    Bool,
    /// <summary>One value; the last occurrence wins.</summary>
    String,
    /// <summary>Repeatable; every occurrence is kept in order.</summary>
    List,
    /// <summary>A signed integer, validated while parsing (pflag's strconv.ParseInt message).</summary>
    Int,
    /// <summary>A Go duration (<c>5s</c>, <c>1m30s</c>), validated while parsing.</summary>
    Duration,
}

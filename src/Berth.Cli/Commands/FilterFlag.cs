using Berth.Client.Http;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>docker's repeatable <c>-f/--filter key=value</c> flag, checked while parsing.</summary>
public static class FilterFlag
{
    public static FlagSpec Spec(string usage = "Filter output based on conditions provided", char? shortName = 'f')
        => FlagSpec.List("filter", shortName, usage, value => value.Contains('=') ? null : "bad format of filter (expected name=value)");

    public static Filters From(ParsedFlags flags) => Filters.Parse(flags.List("filter"));
}

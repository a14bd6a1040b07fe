using System.Text.Json.Nodes;

namespace Berth.Cli.Formatting;

/// <summary>A parsed <c>--format</c> template, executed against the JSON shape docker's templates see.</summary>
public interface IOutputTemplate
{
    string Execute(JsonNode? data);

    /// <summary>The template for a table's header line, where functions like upper/json leave column names as they are.</summary>
    IOutputTemplate ForTableHeader();
}

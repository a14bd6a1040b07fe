using System.Text.Json.Nodes;

namespace Berth.GoTemplates;

/// <summary>
/// A function a template can call by name, such as <c>{{myfunc .Name "x"}}</c>. Arguments arrive as
/// JSON nodes (a missing value or nil as null); nodes taken from the data are passed as they are and
/// must not be attached elsewhere. An exception is reported as "error calling NAME: message".
/// </summary>
public delegate JsonNode? TemplateFunction(IReadOnlyList<JsonNode?> args);

/// <summary>
/// A method of the data's objects, such as docker's <c>{{.Label "com.example"}}</c> on a ps row:
/// called with the object it is invoked on and the arguments. Methods take precedence over keys.
/// </summary>
public delegate JsonNode? TemplateMethod(JsonObject receiver, IReadOnlyList<JsonNode?> args);

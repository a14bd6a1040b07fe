using System.Text;
using System.Text.Json.Nodes;
using Berth.GoTemplates.Execution;
using Berth.GoTemplates.Parsing;

namespace Berth.GoTemplates;

/// <summary>
/// A Go text/template, as the docker CLI evaluates its <c>--format</c> strings: Go's syntax and
/// semantics, Go's builtins plus docker's functions, over JSON data. Parse once, execute per row;
/// a parsed template is immutable and safe to execute from several threads.
/// </summary>
public sealed class GoTemplate
{
    private readonly string _text;
    private readonly Dictionary<string, ListNode> _trees;
    private readonly GoTemplateOptions _options;
    private readonly CompiledTemplate _compiled;

    private GoTemplate(string text, Dictionary<string, ListNode> trees, GoTemplateOptions options)
    {
        _text = text;
        _trees = trees;
        _options = options;
        _compiled = new CompiledTemplate(
            "", text, trees, FunctionTable.Create(options), options.Methods, options.MissingKey);
    }

    /// <summary>The template text.</summary>
    public string Text => _text;

    public GoTemplateOptions Options => _options;

    /// <summary>Parses a template; <paramref name="extraFunctions"/> are callable by name besides Go's and docker's.</summary>
    /// <exception cref="TemplateException">The text is not a valid template; the message is Go's.</exception>
    public static GoTemplate Parse(string text, IReadOnlyDictionary<string, TemplateFunction>? extraFunctions = null) =>
        Parse(text, new GoTemplateOptions { Functions = extraFunctions });

    /// <exception cref="TemplateException">The text is not a valid template; the message is Go's.</exception>
    public static GoTemplate Parse(string text, GoTemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var functions = FunctionTable.Create(options);
        var trees = Parser.Parse("", text, functions.ContainsKey);
        return new GoTemplate(text, trees, options);
    }

    /// <summary>The same parsed template with other options, e.g. docker's header functions for a table's first line.</summary>
    public GoTemplate With(GoTemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Functions are checked when parsing, so a new function table needs the text parsed again.
        return new GoTemplate(_text, options.Functions == _options.Functions ? _trees : Parse(_text, options)._trees, options);
    }

    /// <summary>The template for the header line of a docker table: json, join, upper... leave the column names as they are.</summary>
    public GoTemplate ForTableHeader() => With(_options with { TableHeader = true });

    /// <summary>Executes the template on <paramref name="data"/> and returns what it printed.</summary>
    /// <exception cref="TemplateException">Execution failed; the message is Go's.</exception>
    public string Execute(JsonNode? data)
    {
        var sb = new StringBuilder();
        Execute(sb, data);
        return sb.ToString();
    }

    /// <summary>Executes the template, writing the output only if execution succeeds.</summary>
    /// <exception cref="TemplateException">Execution failed; the message is Go's.</exception>
    public void Execute(TextWriter writer, JsonNode? data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Execute(data));
    }

    /// <summary>Executes the template, appending to <paramref name="output"/>; on error it keeps what was printed so far.</summary>
    /// <exception cref="TemplateException">Execution failed; the message is Go's.</exception>
    public void Execute(StringBuilder output, JsonNode? data)
    {
        ArgumentNullException.ThrowIfNull(output);
        // No data at all is Go's invalid value, which prints as "<no value>".
        new Executor(_compiled, output).Execute(data is null ? NoValue.Instance : Values.FromNode(data));
    }
}

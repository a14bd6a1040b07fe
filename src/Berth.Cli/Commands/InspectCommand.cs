using System.Text;
using Berth.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>inspect</c>, <c>container inspect</c> and <c>image inspect</c>: the daemon's JSON re-indented as docker does, or -f templates.</summary>
public static class InspectCommand
{
    private static readonly FlagSpec Format = FlagSpec.String("format", 'f',
        "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");

    public static readonly CommandSpec Spec = new("inspect", "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects",
    [
        Format,
        FlagSpec.Bool("size", 's', "Display total file sizes if the type is container"),
        FlagSpec.String("type", null, "Only inspect objects of the given type"),
    ], ArgRule.AtLeast(1), (c, f) => RunAsync(c, f, f.String("type")));

    public static readonly CommandSpec ContainerSpec = new("inspect", "[OPTIONS] CONTAINER [CONTAINER...]", "Display detailed information on one or more containers",
    [
        Format,
        FlagSpec.Bool("size", 's', "Display total file sizes"),
    ], ArgRule.AtLeast(1), (c, f) => RunAsync(c, f, "container"));

    public static readonly CommandSpec ImageSpec = new("inspect", "[OPTIONS] IMAGE [IMAGE...]", "Display detailed information on one or more images",
    [
        Format,
        FlagSpec.String("platform", null, "Inspect a specific platform of the multi-platform image."),
    ], ArgRule.AtLeast(1), (c, f) => RunAsync(c, f, "image"));

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags, string? type)
    {
        if (type is not (null or "" or "container" or "image" or "volume"))
            throw new CliException($"\"{type}\" is not a valid value for --type");
        var format = flags.String("format");
        IOutputTemplate? template = format is null or "" or "json" ? null : OutputTemplates.ParseForInspect(format);
        var size = flags.Bool("size");
        var elements = new List<byte[]>();
        var errors = new List<string>();
        foreach (var name in flags.Positionals)
        {
            try
            {
                elements.Add(await FetchAsync(context, name, type, size));
            }
            catch (EngineApiException e) when (e.IsNotFound)
            {
                errors.Add(type switch
                {
                    "container" => $"Error response from daemon: {e.Message}",
                    "image" => $"Error response from daemon: no such image: {name}: {e.Message}",
                    "volume" => $"Error response from daemon: {e.Message}",
                    _ => $"Error: No such object: {name}",
                });
            }
        }
        return WriteResults(context, elements, template, errors);
    }

    /// <summary>
    /// The body of the typed inspect commands (network, volume ...): each name fetched with <paramref name="fetch"/>,
    /// the results printed by <see cref="WriteResults"/> with the -f template, names not found reported after.
    /// </summary>
    public static async Task<int> InspectEachAsync(CliContext context, ParsedFlags flags, Func<string, CancellationToken, Task<byte[]>> fetch)
    {
        var format = flags.String("format");
        IOutputTemplate? template = format is null or "" or "json" ? null : OutputTemplates.ParseForInspect(format);
        var (elements, errors) = await FetchEachAsync(context, flags.Positionals, fetch, (_, e) => $"Error response from daemon: {e.Message}");
        return WriteResults(context, elements, template, errors);
    }

    /// <summary>Each named object's JSON, in order; a name that is not found becomes an error line (worded by the caller), not a stop.</summary>
    public static async Task<(List<byte[]> Elements, List<string> Errors)> FetchEachAsync(CliContext context, IEnumerable<string> names,
        Func<string, CancellationToken, Task<byte[]>> fetch, Func<string, EngineApiException, string> describeMissing)
    {
        var elements = new List<byte[]>();
        var errors = new List<string>();
        foreach (var name in names)
        {
            try
            {
                elements.Add(await fetch(name, context.Cancellation));
            }
            catch (EngineApiException e) when (e.IsNotFound)
            {
                errors.Add(describeMissing(name, e));
            }
        }
        return (elements, errors);
    }

    /// <summary>
    /// Prints inspected objects as docker does: one indented JSON array, or the template per object; then the errors
    /// of the names not found (exit 1 when there were any).
    /// </summary>
    public static int WriteResults(CliContext context, IReadOnlyList<byte[]> elements, IOutputTemplate? template, IReadOnlyList<string> errors)
    {
        if (template is null)
        {
            var text = new StringBuilder();
            var joined = new List<byte>();
            joined.Add((byte)'[');
            for (var i = 0; i < elements.Count; i++)
            {
                if (i > 0)
                    joined.Add((byte)',');
                joined.AddRange(elements[i]);
            }
            joined.Add((byte)']');
            JsonIndenter.Indent(joined.ToArray(), text, "", "    ");
            context.Out.Write(text.Append('\n').ToString());
        }
        else
        {
            try
            {
                foreach (var element in elements)
                    context.Out.Write(template.Execute(Json.Parse(element)) + "\n");
            }
            catch (TemplateExecutionException e)
            {
                // docker reports a failed inspect template as a parsing error, after an empty line on stdout.
                context.Out.Write("\n");
                throw new CliException($"template parsing error: {e.Message}");
            }
        }
        if (errors.Count == 0)
            return 0;
        context.FlushOut();
        foreach (var error in errors)
            context.Err.Write(error + "\n");
        return 1;
    }

    private static async Task<byte[]> FetchAsync(CliContext context, string name, string? type, bool size)
    {
        if (type == "container")
            return await context.Client.InspectContainerRawAsync(name, size, context.Cancellation);
        if (type == "image")
            return await context.Client.InspectImageRawAsync(name, context.Cancellation);
        if (type == "volume")
            return await context.Client.InspectVolumeRawAsync(name, context.Cancellation);
        try
        {
            return await context.Client.InspectContainerRawAsync(name, size, context.Cancellation);
        }
        catch (EngineApiException e) when (e.IsNotFound)
        {
            try
            {
                return await context.Client.InspectImageRawAsync(name, context.Cancellation);
            }
            catch (EngineApiException again) when (again.IsNotFound)
            {
                return await context.Client.InspectVolumeRawAsync(name, context.Cancellation);
            }
        }
    }
}

using System.Globalization;
using System.Text;

namespace Berth.GoTemplates.Execution;

/// <summary>
/// The functions a template sees, looked up as Go does: the caller's functions over docker's over
/// Go's builtins (docker's header stand-ins over all when rendering a table header).
/// </summary>
internal static class FunctionTable
{
    public static Dictionary<string, FunctionDefinition> Create(GoTemplateOptions options)
    {
        var table = new Dictionary<string, FunctionDefinition>(StringComparer.Ordinal);
        foreach (var function in BuiltinFunctions.Create(options.MissingKey == MissingKeyMode.Error))
            table[function.Name] = function;
        foreach (var function in DockerFunctions.Basic())
            table[function.Name] = function;
        if (options.Functions is not null)
        {
            foreach (var (name, function) in options.Functions)
            {
                if (!IsGoodName(name))
                    throw new ArgumentException($"function name \"{name}\" is not a valid identifier", nameof(options));
                table[name] = Wrap(name, function);
            }
        }
        if (options.TableHeader)
        {
            foreach (var function in DockerFunctions.Header())
                table[function.Name] = function;
        }
        return table;
    }

    private static FunctionDefinition Wrap(string name, TemplateFunction function) =>
        new(name, [], ParameterKind.Any, args =>
        {
            var nodes = args.Select(Values.ToNode).ToArray();
            try
            {
                return Values.FromNode(function(nodes));
            }
            catch (Exception e) when (e is not FunctionFailure)
            {
                // Go recovers a panicking function into an error the same way.
                throw new FunctionFailure(e.Message);
            }
        });

    /// <summary>Go's goodName: a letter or '_' first, then letters, digits and '_'.</summary>
    private static bool IsGoodName(string name)
    {
        if (name.Length == 0)
            return false;
        var first = true;
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var letter = rune.Value == '_' || category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
                or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;
            if (!letter && (first || category != UnicodeCategory.DecimalDigitNumber))
                return false;
            first = false;
        }
        return true;
    }
}

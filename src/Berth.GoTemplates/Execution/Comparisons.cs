using Berth.GoTemplates.Formatting;

namespace Berth.GoTemplates.Execution;

/// <summary>Go's eq, ne, lt, le, gt, ge: basic kinds compare; int and uint mix; anything else is an error.</summary>
internal static class Comparisons
{
    private enum Kind
    {
        Invalid,
        Bool,
        Int,
        Float,
        String,
        Uint,
    }

    private const string BadComparisonType = "invalid type for comparison";
    private const string BadComparison = "incompatible types for comparison";

    private static Kind BasicKind(object? value) => value switch
    {
        bool => Kind.Bool,
        long => Kind.Int,
        ulong => Kind.Uint,
        double => Kind.Float,
        string => Kind.String,
        _ => Kind.Invalid,
    };

    public static bool Equal(object? arg1, IReadOnlyList<object?> others)
    {
        if (others.Count == 0)
            throw new FunctionFailure("missing argument for comparison");
        var k1 = BasicKind(arg1);
        foreach (var arg in others)
        {
            var k2 = BasicKind(arg);
            bool truth;
            if (k1 != k2)
            {
                if (k1 == Kind.Int && k2 == Kind.Uint)
                    truth = (long)arg1! >= 0 && (ulong)(long)arg1 == (ulong)arg!;
                else if (k1 == Kind.Uint && k2 == Kind.Int)
                    truth = (long)arg! >= 0 && (ulong)arg1! == (ulong)(long)arg;
                else if (!Values.IsNil(arg1) && !Values.IsNil(arg))
                    throw new FunctionFailure(BadComparison);
                else
                    truth = false;
            }
            else
            {
                truth = k1 switch
                {
                    Kind.Bool => (bool)arg1! == (bool)arg!,
                    Kind.Int => (long)arg1! == (long)arg!,
                    Kind.Uint => (ulong)arg1! == (ulong)arg!,
                    Kind.Float => (double)arg1! == (double)arg!,
                    Kind.String => string.Equals((string)arg1!, (string)arg!, StringComparison.Ordinal),
                    _ => EqualNonBasic(arg1, arg),
                };
            }
            if (truth)
                return true;
        }
        return false;
    }

    private static bool EqualNonBasic(object? arg1, object? arg)
    {
        var nil1 = Values.IsNil(arg1);
        var nil2 = Values.IsNil(arg);
        if (!nil1 && !nil2 && CompositeKind(arg1) != CompositeKind(arg))
        {
            throw new FunctionFailure(
                $"non-comparable types {AsS(arg1)}: {Values.TypeName(arg1)}, {Values.TypeName(arg)}: {GoFormatter.FormatValue(arg)}");
        }
        if (nil1 || nil2)
            return nil1 == nil2;
        // Maps and slices are not comparable in Go.
        throw new FunctionFailure($"non-comparable type {AsS(arg)}: {Values.TypeName(arg)}");
    }

    // Go formats these operands with %s, which marks non-string leaves as %!s(int=1).
    private static string AsS(object? value) => GoFormatter.Sprintf("%s", [value]);

    private static string CompositeKind(object? value) => Values.IsList(value) ? "slice" : value is System.Text.Json.Nodes.JsonObject ? "map" : "other";

    public static bool Less(object? arg1, object? arg2)
    {
        var k1 = BasicKind(arg1);
        if (k1 == Kind.Invalid)
            throw new FunctionFailure(BadComparisonType);
        var k2 = BasicKind(arg2);
        if (k2 == Kind.Invalid)
            throw new FunctionFailure(BadComparisonType);
        if (k1 != k2)
        {
            if (k1 == Kind.Int && k2 == Kind.Uint)
                return (long)arg1! < 0 || (ulong)(long)arg1 < (ulong)arg2!;
            if (k1 == Kind.Uint && k2 == Kind.Int)
                return (long)arg2! >= 0 && (ulong)arg1! < (ulong)(long)arg2;
            throw new FunctionFailure(BadComparison);
        }
        return k1 switch
        {
            Kind.Float => (double)arg1! < (double)arg2!,
            Kind.Int => (long)arg1! < (long)arg2!,
            Kind.Uint => (ulong)arg1! < (ulong)arg2!,
            Kind.String => Values.CompareCodePoints((string)arg1!, (string)arg2!) < 0,
            _ => throw new FunctionFailure(BadComparisonType),
        };
    }

    public static bool LessOrEqual(object? arg1, object? arg2) => Less(arg1, arg2) || Equal(arg1, [arg2]);
}

using System.Text;
using Berth.GoTemplates.Execution;

namespace Berth.GoTemplates.Formatting;

internal sealed partial class GoFormatter
{
    private bool _reordered;
    private bool _goodArgNumber;

    /// <summary>fmt.Sprintf, including Go's in-band error notes such as "%!d(string=x)" and "%!(EXTRA ...)".</summary>
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        new GoFormatter(sb).DoPrintf(format, args);
        return sb.ToString();
    }

    private void DoPrintf(string format, IReadOnlyList<object?> args)
    {
        var end = format.Length;
        var argNumber = 0;
        var afterIndex = false;
        _reordered = false;
        var i = 0;
        while (i < end)
        {
            _goodArgNumber = true;
            var last = i;
            while (i < end && format[i] != '%')
                i++;
            if (i > last)
                _buf.Append(format, last, i - last);
            if (i >= end)
                break;
            i++;
            ClearFlags();
            var simple = false;
            for (; i < end; i++)
            {
                var c = format[i];
                if (c == '#')
                {
                    _sharp = true;
                }
                else if (c == '0')
                {
                    _zero = !_minus;
                }
                else if (c == '+')
                {
                    _plus = true;
                }
                else if (c == '-')
                {
                    _minus = true;
                    _zero = false;
                }
                else if (c == ' ')
                {
                    _space = true;
                }
                else
                {
                    if (c is >= 'a' and <= 'z' && argNumber < args.Count)
                    {
                        PrintVerb(args[argNumber], c);
                        argNumber++;
                        i++;
                        simple = true;
                    }
                    break;
                }
            }
            if (simple)
                continue;

            (argNumber, i, afterIndex) = ArgNumber(argNumber, format, i, args.Count);
            if (i < end && format[i] == '*')
            {
                i++;
                (_width, _widthPresent, argNumber) = IntFromArg(args, argNumber);
                if (!_widthPresent)
                    _buf.Append("%!(BADWIDTH)");
                if (_width < 0)
                {
                    _width = -_width;
                    _minus = true;
                    _zero = false;
                }
                afterIndex = false;
            }
            else
            {
                (_width, _widthPresent, i) = ParseNumber(format, i, end);
                if (afterIndex && _widthPresent)
                    _goodArgNumber = false;
            }

            if (i + 1 < end && format[i] == '.')
            {
                i++;
                if (afterIndex)
                    _goodArgNumber = false;
                (argNumber, i, afterIndex) = ArgNumber(argNumber, format, i, args.Count);
                if (i < end && format[i] == '*')
                {
                    i++;
                    (_precision, _precisionPresent, argNumber) = IntFromArg(args, argNumber);
                    if (_precision < 0)
                    {
                        _precision = 0;
                        _precisionPresent = false;
                    }
                    if (!_precisionPresent)
                        _buf.Append("%!(BADPREC)");
                    afterIndex = false;
                }
                else
                {
                    (_precision, _precisionPresent, i) = ParseNumber(format, i, end);
                    if (!_precisionPresent)
                    {
                        _precision = 0;
                        _precisionPresent = true;
                    }
                }
            }

            if (!afterIndex)
                (argNumber, i, afterIndex) = ArgNumber(argNumber, format, i, args.Count);

            if (i >= end)
            {
                _buf.Append("%!(NOVERB)");
                break;
            }
            var rune = Rune.GetRuneAt(format, i);
            i += rune.Utf16SequenceLength;
            var verb = rune.Value < 0x10000 ? (char)rune.Value : '?';
            if (verb == '%')
            {
                _buf.Append('%');
            }
            else if (!_goodArgNumber)
            {
                _buf.Append("%!").Append(verb).Append("(BADINDEX)");
            }
            else if (argNumber >= args.Count)
            {
                _buf.Append("%!").Append(verb).Append("(MISSING)");
            }
            else
            {
                PrintVerb(args[argNumber], verb);
                argNumber++;
            }
        }

        if (!_reordered && argNumber < args.Count)
        {
            ClearFlags();
            _buf.Append("%!(EXTRA ");
            for (var k = argNumber; k < args.Count; k++)
            {
                if (k > argNumber)
                    _buf.Append(", ");
                if (args[k] is null or NoValue)
                {
                    _buf.Append("<nil>");
                }
                else
                {
                    _buf.Append(Values.TypeName(args[k])).Append('=');
                    PrintArg(args[k], 'v');
                }
            }
            _buf.Append(')');
        }
    }

    private void PrintVerb(object? arg, char verb)
    {
        if (verb == 'v')
        {
            // %+v only changes how structs print, and JSON data has none.
            _sharpV = _sharp;
            _sharp = false;
            _plus = false;
        }
        PrintArg(arg, verb);
    }

    private (int Number, int Index, bool Found) ArgNumber(int argNumber, string format, int i, int count)
    {
        if (format.Length <= i || format[i] != '[')
            return (argNumber, i, false);
        _reordered = true;
        var (index, width, ok) = ParseArgNumber(format, i);
        if (ok && index >= 0 && index < count)
            return (index, i + width, true);
        _goodArgNumber = false;
        return (argNumber, i + width, ok);
    }

    private static (int Index, int Width, bool Ok) ParseArgNumber(string format, int start)
    {
        if (format.Length - start < 3)
            return (0, 1, false);
        for (var i = start + 1; i < format.Length; i++)
        {
            if (format[i] != ']')
                continue;
            var (number, isNumber, next) = ParseNumber(format, start + 1, i);
            if (!isNumber || next != i)
                return (0, i - start + 1, false);
            return (number - 1, i - start + 1, true);
        }
        return (0, 1, false);
    }

    private static (int Number, bool IsNumber, int Next) ParseNumber(string s, int start, int end)
    {
        if (start >= end)
            return (0, false, end);
        var number = 0;
        var isNumber = false;
        var i = start;
        for (; i < end && s[i] is >= '0' and <= '9'; i++)
        {
            if (number > 1_000_000)
                return (0, false, end);
            number = number * 10 + (s[i] - '0');
            isNumber = true;
        }
        return (number, isNumber, i);
    }

    private static (int Number, bool IsInt, int Next) IntFromArg(IReadOnlyList<object?> args, int argNumber)
    {
        if (argNumber >= args.Count)
            return (0, false, argNumber);
        var number = 0;
        var isInt = false;
        switch (args[argNumber])
        {
            case long l when l is >= int.MinValue and <= int.MaxValue:
                number = (int)l;
                isInt = true;
                break;
            case ulong ul when ul <= int.MaxValue:
                number = (int)ul;
                isInt = true;
                break;
        }
        if (number is > 1_000_000 or < -1_000_000)
        {
            number = 0;
            isInt = false;
        }
        return (number, isInt, argNumber + 1);
    }
}

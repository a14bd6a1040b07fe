using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.GoTemplates.Execution;
using Berth.GoText;

namespace Berth.GoTemplates.Formatting;

/// <summary>
/// Go's fmt printing (Sprint, Sprintln, Sprintf and the %v form the template engine prints with)
/// over the evaluator's values. The state mirrors Go's pp/fmt pair: flags, width and precision of
/// the verb being formatted, and the argument named in "%!d(string=x)" messages.
/// </summary>
internal sealed partial class GoFormatter
{
    private const string LowerDigits = "0123456789abcdefx";
    private const string UpperDigits = "0123456789ABCDEFX";

    private readonly StringBuilder _buf;
    private object? _arg;
    private bool _plus, _minus, _sharp, _space, _zero;

    // %#v: Go-syntax representation.
    private bool _sharpV;
    private int _width, _precision;
    private bool _widthPresent, _precisionPresent;

    private GoFormatter(StringBuilder buffer)
    {
        _buf = buffer;
    }

    /// <summary>Appends the value as Go's fmt.Fprint prints it: %v.</summary>
    public static void AppendValue(StringBuilder sb, object? value) => new GoFormatter(sb).PrintArg(value, 'v');

    public static string FormatValue(object? value)
    {
        if (value is string s)
            return s;
        var sb = new StringBuilder();
        AppendValue(sb, value);
        return sb.ToString();
    }

    /// <summary>fmt.Sprint: a space between operands when neither side is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        var formatter = new GoFormatter(sb);
        var previousString = false;
        for (var i = 0; i < args.Count; i++)
        {
            var isString = args[i] is string;
            if (i > 0 && !isString && !previousString)
                sb.Append(' ');
            formatter.ClearFlags();
            formatter.PrintArg(args[i], 'v');
            previousString = isString;
        }
        return sb.ToString();
    }

    /// <summary>fmt.Sprintln: always a space between operands, and a newline.</summary>
    public static string Sprintln(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        var formatter = new GoFormatter(sb);
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0)
                sb.Append(' ');
            formatter.ClearFlags();
            formatter.PrintArg(args[i], 'v');
        }
        sb.Append('\n');
        return sb.ToString();
    }

    private void ClearFlags()
    {
        _plus = _minus = _sharp = _space = _zero = _sharpV = false;
        _width = _precision = 0;
        _widthPresent = _precisionPresent = false;
    }

    private void PrintArg(object? arg, char verb)
    {
        _arg = arg;
        if (arg is null or NoValue)
        {
            if (verb is 'T' or 'v')
                PadString("<nil>");
            else
                BadVerb(verb);
            return;
        }
        if (verb == 'T')
        {
            FormatS(Values.TypeName(arg));
            return;
        }
        PrintValue(arg, verb, 0);
    }

    private void PrintValue(object? value, char verb, int depth)
    {
        if (depth > 0)
            _arg = value;
        switch (value)
        {
            case null or NoValue:
                _buf.Append(_sharpV ? "interface {}(nil)" : "<nil>");
                return;
            case bool b:
                FormatBool(b, verb);
                return;
            case long l:
                FormatInteger(unchecked((ulong)l), true, verb);
                return;
            case ulong ul:
                FormatInteger(ul, false, verb);
                return;
            case double d:
                FormatFloat(d, verb);
                return;
            case string s:
                FormatString(s, verb);
                return;
            case JsonObject map:
                _buf.Append(_sharpV ? "map[string]interface {}{" : "map[");
                var first = true;
                foreach (var entry in Values.SortedEntries(map))
                {
                    if (!first)
                        _buf.Append(_sharpV ? ", " : " ");
                    first = false;
                    PrintValue(entry.Key, verb, depth + 1);
                    _buf.Append(':');
                    PrintValue(Values.FromNode(entry.Value), verb, depth + 1);
                }
                _buf.Append(_sharpV ? '}' : ']');
                return;
            default:
                if (!Values.IsList(value))
                {
                    _buf.Append(value);
                    return;
                }
                if (_sharpV)
                    _buf.Append(Values.TypeName(value)).Append('{');
                else
                    _buf.Append('[');
                var count = Values.Count(value);
                for (var i = 0; i < count; i++)
                {
                    if (i > 0)
                        _buf.Append(_sharpV ? ", " : " ");
                    PrintValue(Values.ElementAt(value, i), verb, depth + 1);
                }
                _buf.Append(_sharpV ? '}' : ']');
                return;
        }
    }

    private void BadVerb(char verb)
    {
        _buf.Append("%!").Append(verb).Append('(');
        if (_arg is null or NoValue)
        {
            _buf.Append("<nil>");
        }
        else
        {
            _buf.Append(Values.TypeName(_arg)).Append('=');
            PrintArg(_arg, 'v');
        }
        _buf.Append(')');
    }

    private void FormatBool(bool value, char verb)
    {
        if (verb is 't' or 'v')
            PadString(value ? "true" : "false");
        else
            BadVerb(verb);
    }

    private void FormatString(string value, char verb)
    {
        switch (verb)
        {
            case 'v' when _sharpV:
                FormatQ(value);
                break;
            case 'v' or 's':
                FormatS(value);
                break;
            case 'x':
                FormatSx(value, LowerDigits);
                break;
            case 'X':
                FormatSx(value, UpperDigits);
                break;
            case 'q':
                FormatQ(value);
                break;
            default:
                BadVerb(verb);
                break;
        }
    }

    private void FormatFloat(double value, char verb)
    {
        switch (verb)
        {
            case 'v':
                FormatFloat(value, 'g', -1);
                break;
            case 'g' or 'G':
                FormatFloat(value, verb, -1);
                break;
            case 'f' or 'e' or 'E':
                FormatFloat(value, verb, 6);
                break;
            case 'F':
                FormatFloat(value, 'f', 6);
                break;
            default:
                BadVerb(verb);
                break;
        }
    }

    private void FormatFloat(double value, char verb, int precision)
    {
        if (_precisionPresent)
            precision = _precision;
        var num = GoFloat.Format(value, verb, precision);
        if (num[0] is not ('-' or '+'))
            num = "+" + num;
        if (_space && num[0] == '+' && !_plus)
            num = " " + num[1..];
        if (num[1] is 'I' or 'N')
        {
            var oldZero = _zero;
            _zero = false;
            if (num[1] == 'N' && !_space && !_plus)
                num = num[1..];
            Pad(num);
            _zero = oldZero;
            return;
        }
        if (_plus || num[0] != '+')
        {
            if (_zero && _widthPresent && _width > num.Length)
            {
                _buf.Append(num[0]);
                WritePadding(_width - num.Length);
                _buf.Append(num, 1, num.Length - 1);
                return;
            }
            Pad(num);
            return;
        }
        Pad(num[1..]);
    }

    private void FormatInteger(ulong value, bool signed, char verb)
    {
        switch (verb)
        {
            case 'v' when _sharpV && !signed:
                _sharp = true;
                FormatInteger(value, 16, signed, verb, LowerDigits);
                _sharp = false;
                break;
            case 'v' or 'd':
                FormatInteger(value, 10, signed, verb, LowerDigits);
                break;
            case 'b':
                FormatInteger(value, 2, signed, verb, LowerDigits);
                break;
            case 'o' or 'O':
                FormatInteger(value, 8, signed, verb, LowerDigits);
                break;
            case 'x':
                FormatInteger(value, 16, signed, verb, LowerDigits);
                break;
            case 'X':
                FormatInteger(value, 16, signed, verb, UpperDigits);
                break;
            case 'c':
                Pad(RuneText(value));
                break;
            case 'q':
                Pad(GoQuote.QuoteRune(value > 0x10FFFF ? 0xFFFD : (int)value, _plus));
                break;
            case 'U':
                FormatUnicode(value);
                break;
            default:
                BadVerb(verb);
                break;
        }
    }

    private static string RuneText(ulong value)
    {
        var rune = value > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF ? 0xFFFD : (int)value;
        var sb = new StringBuilder(2);
        GoQuote.AppendRune(sb, rune);
        return sb.ToString();
    }

    private void FormatUnicode(ulong value)
    {
        var text = "U+" + value.ToString("X4", CultureInfo.InvariantCulture);
        if (_sharp && value <= 0x10FFFF && GoQuote.IsPrint((int)value))
            text += " '" + RuneText(value) + "'";
        var oldZero = _zero;
        _zero = false;
        Pad(text);
        _zero = oldZero;
    }

    private void FormatInteger(ulong value, int numberBase, bool signed, char verb, string digits)
    {
        var negative = signed && (long)value < 0;
        if (negative)
            value = unchecked(0 - value);
        var precision = 0;
        if (_precisionPresent)
        {
            precision = _precision;
            if (precision == 0 && value == 0)
            {
                var oldZero = _zero;
                _zero = false;
                WritePadding(_width);
                _zero = oldZero;
                return;
            }
        }
        else if (_zero && _widthPresent)
        {
            precision = _width;
            if (negative || _plus || _space)
                precision--;
        }
        var chars = new Stack<char>();
        do
        {
            chars.Push(digits[(int)(value % (ulong)numberBase)]);
            value /= (ulong)numberBase;
        }
        while (value != 0);
        while (chars.Count < precision)
            chars.Push('0');
        if (_sharp)
        {
            switch (numberBase)
            {
                case 2:
                    chars.Push('b');
                    chars.Push('0');
                    break;
                case 8:
                    if (chars.Peek() != '0')
                        chars.Push('0');
                    break;
                case 16:
                    chars.Push(digits[16]);
                    chars.Push('0');
                    break;
            }
        }
        if (verb == 'O')
        {
            chars.Push('o');
            chars.Push('0');
        }
        if (negative)
            chars.Push('-');
        else if (_plus)
            chars.Push('+');
        else if (_space)
            chars.Push(' ');
        var oldZeroFlag = _zero;
        _zero = false;
        Pad(new string(chars.ToArray()));
        _zero = oldZeroFlag;
    }

    private void FormatS(string value) => PadString(Truncate(value));

    private string Truncate(string value)
    {
        if (!_precisionPresent)
            return value;
        var n = 0;
        var index = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (n == _precision)
                return value[..index];
            n++;
            index += rune.Utf16SequenceLength;
        }
        return value;
    }

    private void FormatQ(string value)
    {
        value = Truncate(value);
        if (_sharp && GoQuote.CanBackquote(value))
            PadString("`" + value + "`");
        else
            PadString(GoQuote.Quote(value, _plus));
    }

    private void FormatSx(string value, string digits)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var length = bytes.Length;
        if (_precisionPresent && _precision < length)
            length = _precision;
        var width = 2 * length;
        if (width > 0)
        {
            if (_space)
            {
                if (_sharp)
                    width *= 2;
                width += length - 1;
            }
            else if (_sharp)
            {
                width += 2;
            }
        }
        else
        {
            if (_widthPresent)
                WritePadding(_width);
            return;
        }
        if (_widthPresent && _width > width && !_minus)
            WritePadding(_width - width);
        if (_sharp)
            _buf.Append('0').Append(digits[16]);
        for (var i = 0; i < length; i++)
        {
            if (_space && i > 0)
            {
                _buf.Append(' ');
                if (_sharp)
                    _buf.Append('0').Append(digits[16]);
            }
            _buf.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
        }
        if (_widthPresent && _width > width && _minus)
            WritePadding(_width - width);
    }

    private void PadString(string value) => Pad(value);

    private void Pad(string value)
    {
        if (!_widthPresent || _width == 0)
        {
            _buf.Append(value);
            return;
        }
        var width = _width - RuneCount(value);
        if (!_minus)
        {
            WritePadding(width);
            _buf.Append(value);
        }
        else
        {
            _buf.Append(value);
            WritePadding(width);
        }
    }

    private void WritePadding(int count)
    {
        if (count > 0)
            _buf.Append(_zero ? '0' : ' ', count);
    }

    private static int RuneCount(string value)
    {
        var n = 0;
        foreach (var _ in value.EnumerateRunes())
            n++;
        return n;
    }
}

using System.Globalization;
using System.Text;
using Berth.GoText;

namespace Berth.GoTemplates.Parsing;

/// <summary>
/// text/template's lexer: a state machine over the text that yields text, delimiters and the
/// items inside actions. It stops after the first error item, as Go's does.
/// </summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";
    private const string LeftComment = "/*";
    private const string RightComment = "*/";
    private const int TrimMarkerLength = 2; // the marker plus the space beside it

    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["."] = TokenKind.Dot,
        ["block"] = TokenKind.Block,
        ["break"] = TokenKind.Break,
        ["continue"] = TokenKind.Continue,
        ["define"] = TokenKind.Define,
        ["else"] = TokenKind.Else,
        ["end"] = TokenKind.End,
        ["if"] = TokenKind.If,
        ["range"] = TokenKind.Range,
        ["nil"] = TokenKind.Nil,
        ["template"] = TokenKind.Template,
        ["with"] = TokenKind.With,
    };

    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _start;
    private int _line = 1;
    private int _startLine = 1;
    private int _parenDepth;
    private bool _atEof;

    private delegate State? State();

    private Lexer(string input)
    {
        _input = input;
    }

    public static List<Token> Tokenize(string input)
    {
        var lexer = new Lexer(input);
        State? state = lexer.LexText;
        while (state is not null)
            state = state();
        return lexer._tokens;
    }

    private const int Eof = -1;

    private int Next()
    {
        if (_pos >= _input.Length)
        {
            _atEof = true;
            return Eof;
        }
        Rune.DecodeFromUtf16(_input.AsSpan(_pos), out var rune, out var consumed);
        _pos += consumed;
        if (rune.Value == '\n')
            _line++;
        return rune.Value;
    }

    private int Peek()
    {
        if (_pos >= _input.Length)
            return Eof;
        Rune.DecodeFromUtf16(_input.AsSpan(_pos), out var rune, out _);
        return rune.Value;
    }

    private void Backup()
    {
        if (_atEof || _pos <= 0)
            return;
        var width = char.IsLowSurrogate(_input[_pos - 1]) && _pos >= 2 && char.IsHighSurrogate(_input[_pos - 2]) ? 2 : 1;
        _pos -= width;
        if (_input[_pos] == '\n')
            _line--;
    }

    private void Emit(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _start, _input[_start.._pos], _startLine));
        _start = _pos;
        _startLine = _line;
    }

    private void Ignore()
    {
        _line += CountNewlines(_start, _pos);
        _start = _pos;
        _startLine = _line;
    }

    private int CountNewlines(int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++)
        {
            if (_input[i] == '\n')
                n++;
        }
        return n;
    }

    private bool Accept(string valid)
    {
        var r = Next();
        if (r is >= 0 and < 0x10000 && valid.Contains((char)r))
            return true;
        Backup();
        return false;
    }

    private void AcceptRun(string valid)
    {
        int r;
        do
        {
            r = Next();
        }
        while (r is >= 0 and < 0x10000 && valid.Contains((char)r));
        Backup();
    }

    private State? Error(string message)
    {
        _tokens.Add(new Token(TokenKind.Error, _start, message, _startLine));
        return null;
    }

    private State? LexText()
    {
        var x = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
        if (x >= 0)
        {
            _pos = x;
            var trimLength = 0;
            if (HasLeftTrimMarker(_pos + LeftDelim.Length))
                trimLength = RightTrimLength(_start, _pos);
            _pos -= trimLength;
            if (_pos > _start)
            {
                _line += CountNewlines(_start, _pos);
                Emit(TokenKind.Text);
            }
            _pos += trimLength;
            Ignore();
            return LexLeftDelim;
        }
        _pos = _input.Length;
        if (_pos > _start)
        {
            _line += CountNewlines(_start, _pos);
            Emit(TokenKind.Text);
        }
        Emit(TokenKind.Eof);
        return null;
    }

    private int RightTrimLength(int from, int to)
    {
        var i = to;
        while (i > from && IsSpace(_input[i - 1]))
            i--;
        return to - i;
    }

    private int LeftTrimLength(int from)
    {
        var i = from;
        while (i < _input.Length && IsSpace(_input[i]))
            i++;
        return i - from;
    }

    private bool HasLeftTrimMarker(int at) =>
        at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) =>
        at + 1 < _input.Length && at >= 0 && IsSpace(_input[at]) && _input[at + 1] == '-';

    private bool StartsWith(int at, string text) =>
        at + text.Length <= _input.Length && string.CompareOrdinal(_input, at, text, 0, text.Length) == 0;

    private (bool Delim, bool TrimSpaces) AtRightDelim()
    {
        if (HasRightTrimMarker(_pos) && StartsWith(_pos + TrimMarkerLength, RightDelim))
            return (true, true);
        if (StartsWith(_pos, RightDelim))
            return (true, false);
        return (false, false);
    }

    private State? LexLeftDelim()
    {
        _pos += LeftDelim.Length;
        var trimSpace = HasLeftTrimMarker(_pos);
        var afterMarker = trimSpace ? TrimMarkerLength : 0;
        if (StartsWith(_pos + afterMarker, LeftComment))
        {
            _pos += afterMarker;
            Ignore();
            return LexComment;
        }
        Emit(TokenKind.LeftDelim);
        _pos += afterMarker;
        Ignore();
        _parenDepth = 0;
        return LexInsideAction;
    }

    private State? LexComment()
    {
        _pos += LeftComment.Length;
        var i = _input.IndexOf(RightComment, _pos, StringComparison.Ordinal);
        if (i < 0)
            return Error("unclosed comment");
        _pos = i + RightComment.Length;
        var (delim, trimSpace) = AtRightDelim();
        if (!delim)
            return Error("comment ends before closing delimiter");
        if (trimSpace)
            _pos += TrimMarkerLength;
        _pos += RightDelim.Length;
        if (trimSpace)
            _pos += LeftTrimLength(_pos);
        Ignore();
        return LexText;
    }

    private State? LexRightDelim()
    {
        var trimSpace = HasRightTrimMarker(_pos);
        if (trimSpace)
        {
            _pos += TrimMarkerLength;
            Ignore();
        }
        _pos += RightDelim.Length;
        Emit(TokenKind.RightDelim);
        if (trimSpace)
        {
            _pos += LeftTrimLength(_pos);
            Ignore();
        }
        return LexText;
    }

    private State? LexInsideAction()
    {
        var (delim, _) = AtRightDelim();
        if (delim)
        {
            if (_parenDepth == 0)
                return LexRightDelim;
            return Error("unclosed left paren");
        }
        var r = Next();
        switch (r)
        {
            case Eof:
                return Error("unclosed action");
            case ' ' or '\t' or '\r' or '\n':
                Backup(); // Put the space back in case we have " -}}".
                return LexSpace;
            case '=':
                Emit(TokenKind.Assign);
                return LexInsideAction;
            case ':':
                if (Next() != '=')
                    return Error("expected :=");
                Emit(TokenKind.Declare);
                return LexInsideAction;
            case '|':
                Emit(TokenKind.Pipe);
                return LexInsideAction;
            case '"':
                return LexQuote;
            case '`':
                return LexRawQuote;
            case '$':
                return LexVariable;
            case '\'':
                return LexChar;
            case '.':
                if (_pos < _input.Length && _input[_pos] is < '0' or > '9')
                    return LexField;
                Backup();
                return LexNumber;
            case '+' or '-' or (>= '0' and <= '9'):
                Backup();
                return LexNumber;
            case '(':
                Emit(TokenKind.LeftParen);
                _parenDepth++;
                return LexInsideAction;
            case ')':
                Emit(TokenKind.RightParen);
                _parenDepth--;
                if (_parenDepth < 0)
                    return Error("unexpected right paren U+0029 ')'");
                return LexInsideAction;
        }
        if (IsAlphaNumeric(r))
        {
            Backup();
            return LexIdentifier;
        }
        if (r < 0x80 && r >= 0x20 && r != 0x7F)
        {
            Emit(TokenKind.Char);
            return LexInsideAction;
        }
        return Error("unrecognized character in action: " + DescribeRune(r));
    }

    private State? LexSpace()
    {
        var spaces = 0;
        while (true)
        {
            var r = Peek();
            if (r is not (' ' or '\t' or '\r' or '\n'))
                break;
            Next();
            spaces++;
        }
        // A space followed by "-}}" belongs to the trim marker, not to the action.
        if (HasRightTrimMarker(_pos - 1) && StartsWith(_pos - 1 + TrimMarkerLength, RightDelim))
        {
            Backup();
            if (spaces == 1)
                return LexRightDelim;
        }
        Emit(TokenKind.Space);
        return LexInsideAction;
    }

    private State? LexIdentifier()
    {
        while (true)
        {
            var r = Next();
            if (IsAlphaNumeric(r))
                continue;
            Backup();
            var word = _input[_start.._pos];
            if (!AtTerminator())
                return Error("bad character " + DescribeRune(r));
            if (Keywords.TryGetValue(word, out var keyword))
                Emit(keyword);
            else if (word[0] == '.')
                Emit(TokenKind.Field);
            else if (word is "true" or "false")
                Emit(TokenKind.Bool);
            else
                Emit(TokenKind.Identifier);
            return LexInsideAction;
        }
    }

    private State? LexField() => LexFieldOrVariable(TokenKind.Field);

    private State? LexVariable()
    {
        if (AtTerminator())
        {
            Emit(TokenKind.Variable);
            return LexInsideAction;
        }
        return LexFieldOrVariable(TokenKind.Variable);
    }

    private State? LexFieldOrVariable(TokenKind kind)
    {
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
            return LexInsideAction;
        }
        int r;
        while (true)
        {
            r = Next();
            if (!IsAlphaNumeric(r))
            {
                Backup();
                break;
            }
        }
        if (!AtTerminator())
            return Error("bad character " + DescribeRune(r));
        Emit(kind);
        return LexInsideAction;
    }

    private bool AtTerminator()
    {
        var r = Peek();
        switch (r)
        {
            case Eof or ' ' or '\t' or '\r' or '\n' or '.' or ',' or '|' or ':' or ')' or '(':
                return true;
        }
        return StartsWith(_pos, RightDelim);
    }

    private State? LexChar() => LexEscapedUntil('\'', TokenKind.CharConstant, "unterminated character constant");

    private State? LexNumber()
    {
        if (!ScanNumber())
            return Error("bad number syntax: " + GoQuote.Quote(_input[_start.._pos]));
        var sign = Peek();
        if (sign is '+' or '-')
        {
            if (!ScanNumber() || _input[_pos - 1] != 'i')
                return Error("bad number syntax: " + GoQuote.Quote(_input[_start.._pos]));
            Emit(TokenKind.Complex);
        }
        else
        {
            Emit(TokenKind.Number);
        }
        return LexInsideAction;
    }

    private bool ScanNumber()
    {
        Accept("+-");
        var digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
                digits = "0123456789abcdefABCDEF_";
            else if (Accept("oO"))
                digits = "01234567_";
            else if (Accept("bB"))
                digits = "01_";
        }
        AcceptRun(digits);
        if (Accept("."))
            AcceptRun(digits);
        if (digits.Length == 11 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        if (digits.Length == 23 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        Accept("i");
        if (IsAlphaNumeric(Peek()))
        {
            Next();
            return false;
        }
        return true;
    }

    private State? LexQuote() => LexEscapedUntil('"', TokenKind.String, "unterminated quoted string");

    // A character constant or an interpreted string: backslash escapes anything but a newline; a newline or the end
    // of input before the closing quote is an error.
    private State? LexEscapedUntil(char close, TokenKind kind, string unterminated)
    {
        while (true)
        {
            var r = Next();
            if (r == '\\')
            {
                var escaped = Next();
                if (escaped != Eof && escaped != '\n')
                    continue;
                return Error(unterminated);
            }
            if (r is Eof or '\n')
                return Error(unterminated);
            if (r == close)
                break;
        }
        Emit(kind);
        return LexInsideAction;
    }

    private State? LexRawQuote()
    {
        while (true)
        {
            var r = Next();
            if (r == Eof)
                return Error("unterminated raw quoted string");
            if (r == '`')
                break;
        }
        Emit(TokenKind.RawString);
        return LexInsideAction;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(int r)
    {
        if (r == '_')
            return true;
        if (r < 0 || r > 0x10FFFF)
            return false;
        if (r < 0x80)
            return r is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';
        var category = CharUnicodeInfo.GetUnicodeCategory(r);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber;
    }

    /// <summary>Go's %#U: U+0041 'A'.</summary>
    private static string DescribeRune(int r)
    {
        if (r < 0)
            return "U+FFFFFFFFFFFFFFFF";
        var text = "U+" + r.ToString("X4", CultureInfo.InvariantCulture);
        if (GoQuote.IsPrint(r))
            text += " '" + char.ConvertFromUtf32(r) + "'";
        return text;
    }
}

using Berth.GoText;

namespace Berth.GoTemplates.Parsing;

internal enum TokenKind
{
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,

    // Keywords follow; IsKeyword relies on this order.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// <summary>One lexical item; Pos is a char index into the template text, Line is 1-based.</summary>
internal readonly record struct Token(TokenKind Kind, int Pos, string Value, int Line)
{
    public bool IsKeyword => Kind >= TokenKind.Block;

    /// <summary>How Go's parser names the item in "unexpected X in Y" messages.</summary>
    public override string ToString()
    {
        if (Kind == TokenKind.Eof)
            return "EOF";
        if (Kind == TokenKind.Error)
            return Value;
        if (IsKeyword)
            return "<" + Value + ">";
        var runes = Value.EnumerateRunes().ToArray();
        if (runes.Length > 10)
            return GoQuote.Quote(string.Concat(runes.Take(10).Select(r => r.ToString()))) + "...";
        return GoQuote.Quote(Value);
    }
}

using Berth.GoText;

namespace Berth.GoTemplates.Parsing;

/// <summary>
/// text/template's recursive-descent parser, producing the main tree and the trees of
/// {{define}}/{{block}} by name. Errors are Go's: "template: NAME:LINE: message".
/// </summary>
internal sealed class Parser
{
    private readonly string _name;
    private readonly List<Token> _tokens;
    private readonly Func<string, bool> _hasFunction;
    private readonly Dictionary<string, ListNode> _trees;
    private int _index;
    private int _lastFetched;
    private List<string> _vars = ["$"];
    private int _rangeDepth;
    private int _actionLine;
    private int _nesting;

    // Go's goroutine stacks grow without bound; a .NET stack does not, so refuse absurd nesting.
    private const int MaxNesting = 1000;

    private Parser(string name, string text, Func<string, bool> hasFunction)
    {
        _name = name;
        _tokens = Lexer.Tokenize(text);
        _hasFunction = hasFunction;
        _trees = new Dictionary<string, ListNode>(StringComparer.Ordinal);
    }

    /// <summary>Parses the text; the main tree is stored under <paramref name="name"/>.</summary>
    public static Dictionary<string, ListNode> Parse(string name, string text, Func<string, bool> hasFunction)
    {
        var parser = new Parser(name, text, hasFunction);
        var root = parser.ParseRoot();
        parser.Add(name, root);
        return parser._trees;
    }

    private Token Next()
    {
        var token = _tokens[Math.Min(_index, _tokens.Count - 1)];
        _lastFetched = Math.Max(_lastFetched, _index);
        _index++;
        return token;
    }

    private void Backup() => _index--;

    private Token Peek()
    {
        var token = Next();
        Backup();
        return token;
    }

    private Token NextNonSpace()
    {
        Token token;
        do
        {
            token = Next();
        }
        while (token.Kind == TokenKind.Space);
        return token;
    }

    private Token PeekNonSpace()
    {
        var token = NextNonSpace();
        Backup();
        return token;
    }

    private TemplateException Error(string message)
    {
        var line = _tokens[Math.Min(_lastFetched, _tokens.Count - 1)].Line;
        return new TemplateException($"template: {_name}:{line}: {message}");
    }

    private Token Expect(TokenKind expected, string context)
    {
        var token = NextNonSpace();
        if (token.Kind != expected)
            throw Unexpected(token, context);
        return token;
    }

    private Token ExpectOneOf(TokenKind expected1, TokenKind expected2, string context)
    {
        var token = NextNonSpace();
        if (token.Kind != expected1 && token.Kind != expected2)
            throw Unexpected(token, context);
        return token;
    }

    private TemplateException Unexpected(Token token, string context)
    {
        if (token.Kind == TokenKind.Error)
        {
            var extra = "";
            if (_actionLine != 0 && _actionLine != token.Line)
            {
                extra = $" in action started at {_name}:{_actionLine}";
                if (token.Value.EndsWith(" action", StringComparison.Ordinal))
                    extra = extra[" in action".Length..];
            }
            return Error(token + extra);
        }
        return Error($"unexpected {token} in {context}");
    }

    private void Add(string name, ListNode root)
    {
        if (!_trees.TryGetValue(name, out var existing) || existing.IsEmpty())
        {
            _trees[name] = root;
            return;
        }
        if (!root.IsEmpty())
            throw Error($"template: multiple definition of template {GoQuote.Quote(name)}");
    }

    private ListNode ParseRoot()
    {
        var root = new ListNode(Peek().Pos);
        while (Peek().Kind != TokenKind.Eof)
        {
            if (Peek().Kind == TokenKind.LeftDelim)
            {
                var saved = _index;
                Next();
                if (NextNonSpace().Kind == TokenKind.Define)
                {
                    ParseDefinition();
                    continue;
                }
                _index = saved;
            }
            var node = TextOrAction();
            if (node is EndNode or ElseNode)
                throw Error($"unexpected {node}");
            root.Nodes.Add(node);
        }
        return root;
    }

    private void ParseDefinition()
    {
        const string context = "define clause";
        var nameToken = ExpectOneOf(TokenKind.String, TokenKind.RawString, context);
        var name = Unquote(nameToken.Value);
        Expect(TokenKind.RightDelim, context);
        var (savedVars, savedDepth) = (_vars, _rangeDepth);
        (_vars, _rangeDepth) = (["$"], 0);
        var (list, end) = ItemList();
        if (end is not EndNode)
            throw Error($"unexpected {end} in {context}");
        Add(name, list);
        (_vars, _rangeDepth) = (savedVars, savedDepth);
    }

    private (ListNode List, Node End) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var node = TextOrAction();
            if (node is EndNode or ElseNode)
                return (list, node);
            list.Nodes.Add(node);
        }
        throw Error("unexpected EOF");
    }

    private Node TextOrAction()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Text:
                return new TextNode(token.Pos, token.Value);
            case TokenKind.LeftDelim:
                _actionLine = token.Line;
                try
                {
                    return Action();
                }
                finally
                {
                    _actionLine = 0;
                }
            default:
                throw Unexpected(token, "input");
        }
    }

    private Node Action()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Block:
                return BlockControl();
            case TokenKind.Break:
                return LoopControl(token, "{{break}}", "{{break}} outside {{range}}", pos => new BreakNode(pos));
            case TokenKind.Continue:
                return LoopControl(token, "{{continue}}", "{{continue}} outside {{range}}", pos => new ContinueNode(pos));
            case TokenKind.Else:
                return ElseControl();
            case TokenKind.End:
                return new EndNode(Expect(TokenKind.RightDelim, "end").Pos);
            case TokenKind.If:
                return BranchControl(BranchKind.If, "if");
            case TokenKind.Range:
                return BranchControl(BranchKind.Range, "range");
            case TokenKind.Template:
                return TemplateControl();
            case TokenKind.With:
                return BranchControl(BranchKind.With, "with");
        }
        Backup();
        token = Peek();
        return new ActionNode(token.Pos, token.Line, Pipeline("command", TokenKind.RightDelim));
    }

    private Node LoopControl(Token keyword, string context, string outside, Func<int, Node> create)
    {
        var token = NextNonSpace();
        if (token.Kind != TokenKind.RightDelim)
            throw Unexpected(token, context);
        if (_rangeDepth == 0)
            throw Error(outside);
        return create(keyword.Pos);
    }

    private Node ElseControl()
    {
        var peek = PeekNonSpace();
        // "{{else if ...}}" and "{{else with ...}}" are read as "{{else}}{{if ...}}...{{end}}".
        if (peek.Kind is TokenKind.If or TokenKind.With)
            return new ElseNode(peek.Pos);
        return new ElseNode(Expect(TokenKind.RightDelim, "else").Pos);
    }

    private BranchNode BranchControl(BranchKind kind, string context)
    {
        EnterNesting();
        var varCount = _vars.Count;
        var pipe = Pipeline(context, TokenKind.RightDelim);
        if (kind == BranchKind.Range)
            _rangeDepth++;
        var (list, next) = ItemList();
        if (kind == BranchKind.Range)
            _rangeDepth--;
        ListNode? elseList = null;
        if (next is ElseNode)
        {
            if (kind == BranchKind.If && Peek().Kind == TokenKind.If)
            {
                Next();
                elseList = new ListNode(next.Pos);
                elseList.Nodes.Add(BranchControl(BranchKind.If, "if"));
            }
            else if (kind == BranchKind.With && Peek().Kind == TokenKind.With)
            {
                Next();
                elseList = new ListNode(next.Pos);
                elseList.Nodes.Add(BranchControl(BranchKind.With, "with"));
            }
            else
            {
                (elseList, next) = ItemList();
                if (next is not EndNode)
                    throw Error($"expected end; found {next}");
            }
        }
        _vars.RemoveRange(varCount, _vars.Count - varCount);
        _nesting--;
        return new BranchNode(kind, pipe.Pos, pipe.Line, pipe, list, elseList);
    }

    private Node BlockControl()
    {
        const string context = "block clause";
        EnterNesting();
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        var pipe = Pipeline(context, TokenKind.RightDelim);
        var (savedVars, savedDepth) = (_vars, _rangeDepth);
        (_vars, _rangeDepth) = (["$"], 0);
        var (list, end) = ItemList();
        if (end is not EndNode)
            throw Error($"unexpected {end} in {context}");
        Add(name, list);
        (_vars, _rangeDepth) = (savedVars, savedDepth);
        _nesting--;
        return new TemplateNode(token.Pos, token.Line, name, pipe);
    }

    private Node TemplateControl()
    {
        const string context = "template clause";
        var token = NextNonSpace();
        var name = TemplateName(token, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Kind != TokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, TokenKind.RightDelim);
        }
        return new TemplateNode(token.Pos, token.Line, name, pipe);
    }

    private string TemplateName(Token token, string context)
    {
        if (token.Kind is not (TokenKind.String or TokenKind.RawString))
            throw Unexpected(token, context);
        return Unquote(token.Value);
    }

    private PipeNode Pipeline(string context, TokenKind end)
    {
        var first = PeekNonSpace();
        var pipe = new PipeNode(first.Pos, first.Line);
        while (true)
        {
            var variable = PeekNonSpace();
            if (variable.Kind != TokenKind.Variable)
                break;
            var beforeVariable = _index;
            Next();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                pipe.IsAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(variable.Pos, variable.Value));
                _vars.Add(variable.Value);
                break;
            }
            if (next.Kind == TokenKind.Char && next.Value == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(variable.Pos, variable.Value));
                _vars.Add(variable.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    if (PeekNonSpace().Kind is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen)
                        continue;
                    throw Error("range can only initialize variables");
                }
                throw Error($"too many declarations in {context}");
            }
            _index = beforeVariable;
            break;
        }
        while (true)
        {
            var token = NextNonSpace();
            if (token.Kind == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }
            switch (token.Kind)
            {
                case TokenKind.Bool or TokenKind.CharConstant or TokenKind.Complex or TokenKind.Dot or TokenKind.Field
                    or TokenKind.Identifier or TokenKind.Number or TokenKind.Nil or TokenKind.RawString or TokenKind.String
                    or TokenKind.Variable or TokenKind.LeftParen:
                    Backup();
                    pipe.Commands.Add(Command());
                    break;
                default:
                    throw Unexpected(token, context);
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Commands.Count == 0)
            throw Error($"missing value for {context}");
        for (var i = 1; i < pipe.Commands.Count; i++)
        {
            if (pipe.Commands[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                throw Error($"non executable command in pipeline stage {i + 1}");
        }
    }

    private CommandNode Command()
    {
        var command = new CommandNode(PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null)
                command.Args.Add(operand);
            var token = Next();
            if (token.Kind == TokenKind.Space)
                continue;
            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen)
                Backup();
            else if (token.Kind != TokenKind.Pipe)
                throw Unexpected(token, "operand");
            break;
        }
        if (command.Args.Count == 0)
            throw Error("empty command");
        return command;
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null)
            return null;
        if (Peek().Kind != TokenKind.Field)
            return node;
        var chain = new ChainNode(Peek().Pos, node);
        while (Peek().Kind == TokenKind.Field)
            chain.Field.Add(Next().Value[1..]);
        return node switch
        {
            FieldNode => new FieldNode(chain.Pos, chain.ToString()),
            VariableNode => new VariableNode(chain.Pos, chain.ToString()),
            BoolNode or StringNode or NumberNode or NilNode or DotNode =>
                throw Error($"unexpected . after term {GoQuote.Quote(node.ToString())}"),
            _ => chain,
        };
    }

    private Node? Term()
    {
        var token = NextNonSpace();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                if (!_hasFunction(token.Value))
                    throw Error($"function {GoQuote.Quote(token.Value)} not defined");
                return new IdentifierNode(token.Pos, token.Value);
            case TokenKind.Dot:
                return new DotNode(token.Pos);
            case TokenKind.Nil:
                return new NilNode(token.Pos);
            case TokenKind.Variable:
                return UseVariable(token.Pos, token.Value);
            case TokenKind.Field:
                return new FieldNode(token.Pos, token.Value);
            case TokenKind.Bool:
                return new BoolNode(token.Pos, token.Value == "true");
            case TokenKind.CharConstant or TokenKind.Complex or TokenKind.Number:
                try
                {
                    return GoLiteral.ParseNumber(token.Pos, token.Value, token.Kind);
                }
                catch (GoLiteral.SyntaxException e)
                {
                    throw Error(e.Message);
                }
            case TokenKind.LeftParen:
            {
                EnterNesting();
                var pipe = Pipeline("parenthesized pipeline", TokenKind.RightParen);
                _nesting--;
                return pipe;
            }
            case TokenKind.String or TokenKind.RawString:
                return new StringNode(token.Pos, token.Value, Unquote(token.Value));
        }
        Backup();
        return null;
    }

    private void EnterNesting()
    {
        if (++_nesting > MaxNesting)
            throw Error($"exceeded maximum nesting depth ({MaxNesting})");
    }

    private VariableNode UseVariable(int pos, string name)
    {
        var variable = new VariableNode(pos, name);
        if (_vars.Contains(variable.Ident[0]))
            return variable;
        throw Error($"undefined variable {GoQuote.Quote(variable.Ident[0])}");
    }

    private string Unquote(string literal)
    {
        try
        {
            return GoLiteral.Unquote(literal);
        }
        catch (GoLiteral.SyntaxException e)
        {
            throw Error(e.Message);
        }
    }
}

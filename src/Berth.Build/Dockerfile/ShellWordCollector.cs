using System.Text;

namespace Berth.Build.Dockerfile;

/// <summary>
/// Collects the words of an expanded text: unquoted whitespace (typed, or from a variable's value) separates words;
/// quoted and escaped characters never do. Empty words are dropped, even a quoted "".
/// </summary>
internal sealed class ShellWordCollector
{
    private readonly List<string> _words = [];
    private readonly StringBuilder _word = new();
    private bool _inWord;

    public void AddUnquoted(char ch)
    {
        if (!char.IsWhiteSpace(ch))
        {
            AddLiteral(ch);
        }
        else if (_inWord && _word.Length > 0)
        {
            _words.Add(_word.ToString());
            _word.Clear();
            _inWord = false;
        }
    }

    public void AddUnquoted(string text)
    {
        foreach (char ch in text) AddUnquoted(ch);
    }

    public void AddLiteral(char ch)
    {
        _word.Append(ch);
        _inWord = true;
    }

    public void AddLiteral(string text)
    {
        _word.Append(text);
        _inWord = true;
    }

    public List<string> Finish()
    {
        if (_word.Length > 0)
        {
            _words.Add(_word.ToString());
            _word.Clear();
            _inWord = false;
        }
        return _words;
    }
}

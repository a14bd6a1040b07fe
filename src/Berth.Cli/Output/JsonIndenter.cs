using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// Go's json.Indent: re-indents JSON text without re-encoding it, so strings keep the daemon's exact bytes
/// (docker inspect prints the daemon's JSON this way). Empty objects and arrays stay <c>{}</c> and <c>[]</c>.
/// </summary>
public static class JsonIndenter
{
    public static void Indent(ReadOnlySpan<byte> json, StringBuilder output, string prefix, string indent)
    {
        var text = Encoding.UTF8.GetString(json);
        var depth = 0;
        var needIndent = false;
        var inString = false;
        var escaped = false;
        foreach (var c in text)
        {
            if (inString)
            {
                output.Append(c);
                if (escaped)
                    escaped = false;
                else if (c == '\\')
                    escaped = true;
                else if (c == '"')
                    inString = false;
                continue;
            }
            if (c is ' ' or '\t' or '\r' or '\n')
                continue;
            if (needIndent && c is not (']' or '}'))
            {
                needIndent = false;
                depth++;
                Newline(output, prefix, indent, depth);
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    output.Append(c);
                    break;
                case '{':
                case '[':
                    output.Append(c);
                    needIndent = true;
                    break;
                case ',':
                    output.Append(c);
                    Newline(output, prefix, indent, depth);
                    break;
                case ':':
                    output.Append(": ");
                    break;
                case '}':
                case ']':
                    if (needIndent)
                        needIndent = false;
                    else
                    {
                        depth--;
                        Newline(output, prefix, indent, depth);
                    }
                    output.Append(c);
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }
    }

    private static void Newline(StringBuilder output, string prefix, string indent, int depth)
    {
        output.Append('\n').Append(prefix);
        for (var i = 0; i < depth; i++)
            output.Append(indent);
    }
}

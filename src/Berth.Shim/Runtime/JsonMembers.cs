namespace Berth.Shim.Runtime;

/// <summary>
/// Finds one member of a JSON object without building the tree of the rest: the raw text of its value, for
/// <see cref="JsonTree"/> to parse alone. runc's state.json is ~30 KB, mostly the seccomp profile; parsing it whole
/// costs the shim a garbage collection and a few hundred KiB of heap at every container exit.
/// Assumes well-formed JSON (what runc writes); anything else yields "not found" or <see cref="InvalidDataException"/>.
/// </summary>
internal static class JsonMembers
{
    /// <summary>The raw value of member <paramref name="name"/> of the object <paramref name="json"/>; false when absent.</summary>
    public static bool TryGet(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        int pos = SkipWhitespace(json, 0);
        if (pos >= json.Length || json[pos] != (byte)'{') throw new InvalidDataException("not a JSON object");
        pos++;
        while (true)
        {
            pos = SkipWhitespace(json, pos);
            if (pos >= json.Length) throw new InvalidDataException("unterminated object");
            if (json[pos] == (byte)'}') return false;
            int keyStart = pos;
            pos = SkipString(json, pos);
            var key = json[(keyStart + 1)..(pos - 1)];
            pos = SkipWhitespace(json, pos);
            if (pos >= json.Length || json[pos] != (byte)':') throw new InvalidDataException("':' expected");
            int valueStart = SkipWhitespace(json, pos + 1);
            pos = SkipValue(json, valueStart);
            if (key.SequenceEqual(name))
            {
                value = json[valueStart..pos];
                return true;
            }
            pos = SkipWhitespace(json, pos);
            if (pos < json.Length && json[pos] == (byte)',') pos++;
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int pos)
    {
        while (pos < json.Length && json[pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') pos++;
        return pos;
    }

    /// <summary>From an opening quote to just past the closing one.</summary>
    private static int SkipString(ReadOnlySpan<byte> json, int pos)
    {
        if (pos >= json.Length || json[pos] != (byte)'"') throw new InvalidDataException("string expected");
        for (pos++; pos < json.Length; pos++)
        {
            if (json[pos] == (byte)'\\') pos++;
            else if (json[pos] == (byte)'"') return pos + 1;
        }
        throw new InvalidDataException("unterminated string");
    }

    private static int SkipValue(ReadOnlySpan<byte> json, int pos)
    {
        if (pos >= json.Length) throw new InvalidDataException("value expected");
        if (json[pos] == (byte)'"') return SkipString(json, pos);
        if (json[pos] is not ((byte)'{' or (byte)'['))
        {
            // number, true, false, null
            while (pos < json.Length && json[pos] is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) pos++;
            return pos;
        }
        int depth = 0;
        while (pos < json.Length)
        {
            byte c = json[pos];
            if (c == (byte)'"')
            {
                pos = SkipString(json, pos);
                continue;
            }
            if (c is (byte)'{' or (byte)'[') depth++;
            else if (c is (byte)'}' or (byte)']' && --depth == 0) return pos + 1;
            pos++;
        }
        throw new InvalidDataException("unterminated value");
    }
}

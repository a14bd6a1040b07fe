namespace Berth.Cli.Containers;

/// <summary>Docker's detach key sequence ("ctrl-p,ctrl-q" by default): comma-separated "ctrl-X" or single characters.</summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    public static byte[] Parse(string? keys)
    {
        var text = string.IsNullOrEmpty(keys) ? Default : keys;
        var bytes = new List<byte>();
        foreach (var key in text.Split(','))
        {
            if (key.Length > 1 && !key.StartsWith("ctrl-", StringComparison.Ordinal))
                throw new CliException($"Unknown character: '{key}'");
            if (key.Length == 1)
            {
                bytes.Add((byte)key[0]);
                continue;
            }
            var code = key.Length == 6 ? key[5] : '\0';
            if (key.Length != 6)
                throw new CliException($"Unknown character: '{key}'");
            if (code >= 'a' && code <= 'z')
                bytes.Add((byte)(code - 'a' + 1));
            else if (code == '@')
                bytes.Add(0);
            else if (code is '[' or '\\' or ']' or '^' or '_')
                bytes.Add((byte)(code - '[' + 27));
            else
                throw new CliException($"Unknown character: '{key}'");
        }
        return [.. bytes];
    }
}

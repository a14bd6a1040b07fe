using System.Globalization;
using System.Text;

namespace Berth.Oci.Layers.Tar;

/// <summary>
/// PAX extended header records: <c>"%d %s=%s\n"</c> where the length counts the whole record.
/// Values stay bytes, because <c>SCHILY.xattr.*</c> values are binary.
/// </summary>
internal static class PaxRecords
{
    public const string XattrPrefix = "SCHILY.xattr.";

    public static Dictionary<string, byte[]> Parse(ReadOnlySpan<byte> data)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (!data.IsEmpty)
        {
            // A block's zero padding may follow the last record.
            if (data[0] == 0) break;
            int space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                || length <= space + 1 || length > data.Length || data[length - 1] != (byte)'\n')
                throw TarStreamReader.InvalidHeader();
            var record = data[(space + 1)..(length - 1)];
            int equals = record.IndexOf((byte)'=');
            if (equals <= 0) throw TarStreamReader.InvalidHeader();
            records[Encoding.UTF8.GetString(record[..equals])] = record[(equals + 1)..].ToArray();
            data = data[length..];
        }
        return records;
    }

    public static void Append(List<byte> output, string key, ReadOnlySpan<byte> value)
    {
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        int body = 1 + keyBytes.Length + 1 + value.Length + 1; // ' ' key '=' value '\n'
        // The length prefix counts its own digits; adding them can add one more digit.
        int length = body + Digits(body);
        if (Digits(length) != Digits(body)) length = body + Digits(length);
        output.AddRange(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)));
        output.Add((byte)' ');
        output.AddRange(keyBytes);
        output.Add((byte)'=');
        output.AddRange(value);
        output.Add((byte)'\n');
    }

    public static void Append(List<byte> output, string key, string value) => Append(output, key, Encoding.UTF8.GetBytes(value));

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}

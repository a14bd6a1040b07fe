using System.Text;
using Berth.Api.BuildContext.Remote;
using Berth.Oci.Errors;
using Berth.Oci.Layers;

namespace Berth.Build.Remote;

/// <summary>
/// Docker's choice for a downloaded build context: by the Content-Type the server gives (sniffed from the first bytes
/// when it gives none or application/octet-stream), text/plain is a Dockerfile and the archive types are a context;
/// anything else (an HTML page) is refused.
/// </summary>
public static class RemoteContentType
{
    /// <summary>How much docker looks at when it sniffs.</summary>
    public const int PreambleLength = 100;

    private const string TextPlain = "text/plain";
    private const string OctetStream = "application/octet-stream";

    private static readonly string[] Acceptable =
    [
        "application/x-bzip2", "application/bzip2", "application/gzip", "application/x-gzip", "application/x-xz",
        "application/xz", "application/tar", "application/x-tar", OctetStream, TextPlain,
    ];

    /// <summary>True when the content is a Dockerfile, false when it is a context archive.</summary>
    public static bool IsDockerfile(string? contentType, ReadOnlySpan<byte> preamble)
    {
        if (preamble.IsEmpty) throw new RemoteContextException("empty response");
        string header = contentType ?? "";
        string detected = header.Length == 0 || header == OctetStream ? Sniff(preamble) : header;
        // Docker searches the type for the first acceptable name anywhere in it, so parameters do not matter.
        string? selected = Acceptable.Select(name => (name, at: detected.IndexOf(name, StringComparison.Ordinal)))
            .Where(match => match.at >= 0).OrderBy(match => match.at).Select(match => match.name).FirstOrDefault();
        if (selected is null) throw new RemoteContextException($"unsupported Content-Type \"{header}\"");
        return selected == TextPlain;
    }

    /// <summary>A compressed stream is binary; otherwise the outline of Go's http.DetectContentType that matters here.</summary>
    private static string Sniff(ReadOnlySpan<byte> preamble)
    {
        try
        {
            if (Compression.Detect(preamble) != CompressionKind.None) return OctetStream;
        }
        catch (BerthException)
        {
            return OctetStream; // a compression berthd knows but cannot unpack: still an archive, the extraction says why
        }
        var text = Encoding.ASCII.GetString(preamble).TrimStart(' ', '\t', '\n', '\f', '\r');
        if (LooksLikeHtml(text)) return "text/html";
        if (text.StartsWith("<?xml", StringComparison.Ordinal)) return "text/xml";
        foreach (byte b in preamble)
            if (b <= 0x08 || b == 0x0B || b is >= 0x0E and <= 0x1A || b is >= 0x1C and <= 0x1F) return OctetStream;
        return TextPlain;
    }

    private static bool LooksLikeHtml(string text)
    {
        foreach (var tag in new[] { "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--" })
        {
            if (text.Length > tag.Length && text.StartsWith(tag, StringComparison.OrdinalIgnoreCase) && text[tag.Length] is ' ' or '>')
                return true;
        }
        return false;
    }
}

using System.Net;
using Berth.Oci.Errors;

namespace Berth.Registry.Http;

public static class ListenAddress
{
    /// <summary>"127.0.0.1:5000", ":5000" (all interfaces), "[::1]:5000", "localhost:5000"; port 0 picks a free port.</summary>
    public static IPEndPoint Parse(string addr)
    {
        string text = addr.StartsWith(':') ? "0.0.0.0" + addr : addr;
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)) text = "127.0.0.1" + text["localhost".Length..];
        return IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':')
            ? endpoint
            : throw BerthException.Invalid($"config http.addr: \"{addr}\" is not host:port");
    }
}

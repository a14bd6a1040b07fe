using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Berth.Oci.Errors;

namespace Berth.Registry.Auth;

/// <summary>
/// An Apache htpasswd file of bcrypt entries (<c>user:$2y$...</c>, as <c>htpasswd -B</c> writes them). The file is
/// re-read when it changes. Verified passwords are remembered (by a SHA-256 of user, password and hash) because
/// Docker clients send basic credentials on every request and bcrypt is meant to be slow.
/// </summary>
public sealed class Htpasswd(string path)
{
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);
    private Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private DateTime _loadedWriteTime = DateTime.MinValue;
    private readonly Lock _loadLock = new();

    public string Path { get; } = path;

    public bool Verify(string user, string password)
    {
        var entries = Current();
        if (!entries.TryGetValue(user, out var hash)) return false;
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user}\0{password}\0{hash}")));
        if (_verified.TryGetValue(key, out bool ok)) return ok;
        try { ok = BCrypt.Net.BCrypt.Verify(password, hash); }
        catch (BCrypt.Net.SaltParseException) { ok = false; }
        if (_verified.Count > 10_000) _verified.Clear();
        _verified[key] = ok;
        return ok;
    }

    /// <summary>
    /// A short fingerprint of the user's current password hash, or null when the user is gone: a refresh token carries
    /// it, so a changed password or a removed user ends the tokens issued before.
    /// </summary>
    public string? Stamp(string user) =>
        Current().TryGetValue(user, out var hash)
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{user}\0{hash}")))[..16]
            : null;

    private Dictionary<string, string> Current()
    {
        DateTime writeTime;
        try { writeTime = File.GetLastWriteTimeUtc(Path); }
        catch (IOException e) { throw BerthException.Unavailable($"htpasswd {Path}: {e.Message}"); }
        if (writeTime == _loadedWriteTime) return _entries;
        lock (_loadLock)
        {
            if (writeTime == _loadedWriteTime) return _entries;
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var raw in File.ReadAllLines(Path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                int colon = line.IndexOf(':');
                if (colon <= 0) continue;
                string hash = line[(colon + 1)..];
                if (!hash.StartsWith("$2", StringComparison.Ordinal))
                    throw BerthException.Invalid($"htpasswd {Path}: user \"{line[..colon]}\" has no bcrypt hash (use htpasswd -B)");
                entries[line[..colon]] = hash;
            }
            _entries = entries;
            _loadedWriteTime = writeTime;
            _verified.Clear();
            return entries;
        }
    }

    /// <summary>The user and password of a <c>Basic</c> Authorization header, or null.</summary>
    public static (string User, string Password)? ParseBasic(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            int colon = decoded.IndexOf(':');
            return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

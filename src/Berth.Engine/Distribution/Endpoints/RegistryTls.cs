using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Engine.Distribution.Endpoints;

/// <summary>
/// TLS settings for one registry: extra trusted CAs and a client certificate from <c>certs.d/&lt;host:port&gt;/</c>, or no
/// verification at all for an insecure registry.
/// </summary>
public sealed class RegistryTls
{
    public static readonly RegistryTls Default = new([], null, skipVerify: false);

    public RegistryTls(IReadOnlyList<X509Certificate2> certificateAuthorities, X509Certificate2? clientCertificate, bool skipVerify)
    {
        CertificateAuthorities = certificateAuthorities;
        ClientCertificate = clientCertificate;
        SkipVerify = skipVerify;
    }

    public IReadOnlyList<X509Certificate2> CertificateAuthorities { get; }
    public X509Certificate2? ClientCertificate { get; }
    public bool SkipVerify { get; }

    public RegistryTls WithSkipVerify(bool skip) => skip == SkipVerify ? this : new RegistryTls(CertificateAuthorities, ClientCertificate, skip);

    /// <summary>
    /// Accepts what the system trusts, or a chain ending in one of the registry's own CAs (Docker adds them to the system
    /// pool); the host name must match either way.
    /// </summary>
    public bool Validate(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (SkipVerify || errors == SslPolicyErrors.None) return true;
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors || CertificateAuthorities.Count == 0) return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var ca in CertificateAuthorities) custom.ChainPolicy.CustomTrustStore.Add(ca);
        if (chain is not null)
            foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        return custom.Build(certificate);
    }

    /// <summary>
    /// Reads <c>&lt;dir&gt;/&lt;host:port&gt;/</c> in every configured directory, as Docker does: <c>*.crt</c> are CAs,
    /// <c>*.cert</c> with the <c>*.key</c> of the same name is the client certificate.
    /// </summary>
    public static RegistryTls Load(IEnumerable<string> certificateDirectories, string hostPort)
    {
        var authorities = new List<X509Certificate2>();
        X509Certificate2? client = null;
        foreach (string root in certificateDirectories)
        {
            string dir = Path.Combine(root, hostPort);
            if (!Directory.Exists(dir)) continue;
            foreach (string file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                if (file.EndsWith(".crt", StringComparison.Ordinal))
                {
                    var bundle = new X509Certificate2Collection();
                    bundle.ImportFromPemFile(file);
                    authorities.AddRange(bundle);
                }
                else if (file.EndsWith(".cert", StringComparison.Ordinal) && client is null)
                {
                    string key = file[..^".cert".Length] + ".key";
                    if (!File.Exists(key))
                        throw Oci.Errors.BerthException.Invalid($"missing key {Path.GetFileName(key)} for client certificate {Path.GetFileName(file)}");
                    client = X509Certificate2.CreateFromPemFile(file, key);
                }
            }
        }
        return authorities.Count == 0 && client is null ? Default : new RegistryTls(authorities, client, skipVerify: false);
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Client.Hosts;

/// <summary>
/// TLS for a TCP daemon: a CA to verify the daemon with (when <see cref="Verify"/>) and a client certificate.
/// Docker's file names: <c>ca.pem</c>, <c>cert.pem</c>, <c>key.pem</c> in <c>DOCKER_CERT_PATH</c> (default <c>~/.docker</c>).
/// </summary>
public sealed record TlsSettings(string? CaCertFile, string? CertFile, string? KeyFile, bool Verify)
{
    /// <summary>TLS as the docker CLI decides it from its flags and environment; null when TLS is off.</summary>
    public static TlsSettings? From(bool tlsFlag, bool? tlsVerifyFlag, string? caFlag, string? certFlag, string? keyFlag,
        Func<string, string?> environment)
    {
        var verify = tlsVerifyFlag ?? !string.IsNullOrEmpty(environment("DOCKER_TLS_VERIFY"));
        if (!tlsFlag && !verify)
            return null;
        var certPath = environment("DOCKER_CERT_PATH");
        if (string.IsNullOrEmpty(certPath))
            certPath = Path.Combine(environment("HOME") ?? "/root", ".docker");
        string? Pick(string? flag, string file)
        {
            var path = flag ?? Path.Combine(certPath, file);
            return flag is not null || File.Exists(path) ? path : null;
        }
        return new TlsSettings(Pick(caFlag, "ca.pem"), Pick(certFlag, "cert.pem"), Pick(keyFlag, "key.pem"), verify);
    }

    public SslClientAuthenticationOptions CreateAuthenticationOptions(string targetHost)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = targetHost };
        if (CertFile is not null && KeyFile is not null)
            options.ClientCertificates = [X509Certificate2.CreateFromPemFile(CertFile, KeyFile)];
        if (!Verify)
        {
            // --tls without --tlsverify: encrypted but the daemon's certificate is not checked, as docker does.
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (CaCertFile is not null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(CaCertFile);
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateAgainstCa(certificate, errors, ca);
        }
        return options;
    }

    private static bool ValidateAgainstCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}

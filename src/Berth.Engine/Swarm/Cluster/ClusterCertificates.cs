using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Engine.Swarm.Cluster;

/// <summary>
/// The certificates of the cluster transport: the manager's TLS certificate, signed by the swarm's CA and kept beside
/// its key under the swarm directory, and the worker's checks of the manager against a CA digest or a pinned CA.
/// </summary>
public static class ClusterCertificates
{
    public const string CaKeyFile = "ca-key.pem", ManagerCertFile = "manager-cert.pem", ManagerKeyFile = "manager-key.pem";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The manager's certificate (with its key) as saved under the swarm directory; made from the CA when missing.</summary>
    public static X509Certificate2 LoadOrCreateManager(string swarmRoot, string trustRootPem, string nodeId, string clusterId)
    {
        string certPath = Path.Combine(swarmRoot, ManagerCertFile), keyPath = Path.Combine(swarmRoot, ManagerKeyFile);
        if (File.Exists(certPath) && File.Exists(keyPath)) return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(Path.Combine(swarmRoot, CaKeyFile)));
        using var caPublic = X509Certificate2.CreateFromPem(trustRootPem);
        using var ca = caPublic.CopyWithPrivateKey(caKey);
        var issued = IssueManager(ca, nodeId, clusterId);
        SaveManager(swarmRoot, issued);
        return issued;
    }

    /// <summary>A new manager certificate signed by the CA (which must carry its private key).</summary>
    public static X509Certificate2 IssueManager(X509Certificate2 ca, string nodeId, string clusterId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // swarmkit's shape: the node ID as CN, the role as OU, the cluster as O.
        var request = new CertificateRequest($"CN={nodeId}, OU=swarm-manager, O={clusterId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("swarm-manager");
        names.AddDnsName(nodeId);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        // Never past the CA's own end (an issued certificate may not outlive its issuer).
        var notAfter = new[] { now.AddYears(10), new DateTimeOffset(ca.NotAfter.ToUniversalTime()) }.Min();
        using var issued = request.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Keeps the manager's certificate and key beside the CA key, readable by root only.</summary>
    public static void SaveManager(string swarmRoot, X509Certificate2 manager)
    {
        using var key = manager.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the manager certificate has no key");
        WritePrivate(Path.Combine(swarmRoot, ManagerKeyFile), key.ExportPkcs8PrivateKeyPem());
        WritePrivate(Path.Combine(swarmRoot, ManagerCertFile), manager.ExportCertificatePem() + "\n");
    }

    /// <summary>The hex SHA-256 of a certificate's DER, as swarmkit prints a CA fingerprint.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>Whether <paramref name="leaf"/> was issued by <paramref name="ca"/> (and is otherwise valid now).</summary>
    public static bool IsSignedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
        return chain.Build(leaf);
    }

    /// <summary>The first look at a manager, to fetch its CA: any certificate will do, as the CA is checked against the token's digest after.</summary>
    public static bool TrustAnyForCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => certificate is not null;

    /// <summary>The CA a manager sent, if it is the one whose SHA-256 the join token names.</summary>
    public static X509Certificate2? MatchingCa(string? trustRootPem, byte[] caDigest)
    {
        if (string.IsNullOrEmpty(trustRootPem)) return null;
        var ca = X509Certificate2.CreateFromPem(trustRootPem);
        if (SHA256.HashData(ca.RawData).AsSpan().SequenceEqual(caDigest)) return ca;
        ca.Dispose();
        return null;
    }

    /// <summary>Every connection after the join: the manager's certificate must chain to the pinned CA.</summary>
    public static RemoteCertificateValidationCallback TrustPinned(X509Certificate2 ca) =>
        (_, certificate, _, _) =>
        {
            if (certificate is null) return false;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return IsSignedBy(leaf, ca);
        };

    internal static void WritePrivate(string path, string text)
    {
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, OwnerOnly);
        File.WriteAllText(path, text);
    }
}

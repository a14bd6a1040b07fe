using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Engine.Distribution.Endpoints;

namespace Berth.Tests.Distribution;

public class RegistryTlsTests
{
    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void Certs_d_gives_CAs_and_a_client_certificate()
    {
        string root = Directory.CreateTempSubdirectory("berth-certs-").FullName;
        try
        {
            string berth = Path.Combine(root, "berth"), docker = Path.Combine(root, "docker");
            Directory.CreateDirectory(Path.Combine(berth, "reg.example:5000"));
            Directory.CreateDirectory(Path.Combine(docker, "reg.example:5000"));
            using var ca = SelfSigned("berth test CA");
            File.WriteAllText(Path.Combine(berth, "reg.example:5000", "ca.crt"), ca.ExportCertificatePem());
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var clientRequest = new CertificateRequest("CN=client", key, HashAlgorithmName.SHA256);
            using var client = clientRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(docker, "reg.example:5000", "client.cert"), client.ExportCertificatePem());
            File.WriteAllText(Path.Combine(docker, "reg.example:5000", "client.key"), key.ExportPkcs8PrivateKeyPem());

            var tls = RegistryTls.Load([berth, docker], "reg.example:5000");
            Assert.Equal("CN=berth test CA", Assert.Single(tls.CertificateAuthorities).Subject);
            Assert.True(tls.ClientCertificate!.HasPrivateKey);
            Assert.False(tls.SkipVerify);
            Assert.Same(RegistryTls.Default, RegistryTls.Load([berth, docker], "other:5000"));

            // A server certificate issued by that CA is accepted even though the system does not trust it.
            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var serverRequest = new CertificateRequest("CN=reg.example", serverKey, HashAlgorithmName.SHA256);
            using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
            Assert.True(tls.Validate(server, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.False(tls.Validate(server, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
            Assert.False(RegistryTls.Default.Validate(server, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
            Assert.True(RegistryTls.Default.WithSkipVerify(true).Validate(server, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_client_certificate_without_its_key_is_an_error()
    {
        string root = Directory.CreateTempSubdirectory("berth-certs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "r:1"));
            using var cert = SelfSigned("client");
            File.WriteAllText(Path.Combine(root, "r:1", "client.cert"), cert.ExportCertificatePem());
            Assert.Throws<Berth.Oci.Errors.BerthException>(() => RegistryTls.Load([root], "r:1"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

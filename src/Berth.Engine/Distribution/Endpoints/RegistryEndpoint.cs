namespace Berth.Engine.Distribution.Endpoints;

/// <summary>
/// One place a repository can be reached: the base URI of a V2 API (<c>https://registry-1.docker.io</c>), whether it
/// is a mirror (errors fall through to the next endpoint) and how TLS is checked.
/// </summary>
/// <param name="Domain">The registry as references name it (<c>docker.io</c>, <c>localhost:5000</c>).</param>
/// <param name="BaseUri">Scheme, host and port of the API; requests go to <c>/v2/…</c> under it.</param>
/// <param name="Mirror">A pull mirror: any failure moves on to the next endpoint.</param>
/// <param name="Tls">Certificates and verification for https endpoints.</param>
public sealed record RegistryEndpoint(string Domain, Uri BaseUri, bool Mirror, RegistryTls Tls)
{
    public bool IsPlainHttp => BaseUri.Scheme == Uri.UriSchemeHttp;

    /// <summary>The key connections and tokens are shared under.</summary>
    public string Key => $"{BaseUri.Scheme}://{BaseUri.Authority}|{Tls.SkipVerify}";

    public Uri Resolve(string pathAndQuery)
    {
        string basePath = BaseUri.AbsolutePath.TrimEnd('/');
        return new Uri(BaseUri, basePath + pathAndQuery);
    }

    public override string ToString() => BaseUri.GetLeftPart(UriPartial.Authority);
}

using System.Net;
using System.Net.Http.Headers;
using Berth.Engine.Distribution.Endpoints;
using Berth.Engine.Distribution.Http;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Auth;

/// <summary>The answer of POST /auth: "Login Succeeded", and the identity token a token server handed out, if any.</summary>
public sealed record LoginResult(string Status, string? IdentityToken);

/// <summary>
/// docker login against the V2 API, as Docker's daemon does it: GET /v2/ unauthenticated to learn the challenge, then
/// basic auth or a scope-less offline token request, then GET /v2/ again with what was obtained.
/// </summary>
internal sealed class RegistryLogin(RegistryContext context)
{
    public const string Succeeded = "Login Succeeded";

    public async Task<LoginResult> LoginAsync(string serverAddress, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        string domain = RegistryAddress.DomainOf(serverAddress);
        var endpoints = await context.Endpoints.ForRegistryAsync(domain, cancellationToken);
        RegistryException? last = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                return await LoginAtAsync(endpoint, credentials, cancellationToken);
            }
            catch (RegistryException e) when (e.IsTransport)
            {
                last = e;
            }
        }
        throw new BerthException(ErrorKind.Internal, last?.Message ?? $"cannot reach {domain}", last);
    }

    private async Task<LoginResult> LoginAtAsync(RegistryEndpoint endpoint, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        var http = context.Clients.For(endpoint.Tls);
        var ping = endpoint.Resolve("/v2/");
        using var first = await SendAsync(http, ping, null, cancellationToken);
        if (first.IsSuccessStatusCode)
        {
            context.Endpoints.MarkWorking(endpoint);
            return new LoginResult(Succeeded, null);
        }
        if (first.StatusCode != HttpStatusCode.Unauthorized)
            throw new RegistryException($"login attempt to {ping} failed with status: {(int)first.StatusCode} {first.ReasonPhrase}", first.StatusCode) { IsTransport = (int)first.StatusCode >= 500 || first.StatusCode == HttpStatusCode.NotFound };
        context.Endpoints.MarkWorking(endpoint);

        var challenges = AuthChallenge.Parse(first.Headers.WwwAuthenticate.Select(h => h.ToString()));
        var challenge = challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
        AuthenticationHeaderValue authorization;
        string? identityToken = null;
        if (challenge is { IsBearer: true })
        {
            BearerToken token;
            try
            {
                token = await context.Tokens.LoginAsync(challenge, credentials, cancellationToken);
            }
            catch (RegistryException e)
            {
                throw new BerthException(ErrorKind.Unauthorized, e.Message, e);
            }
            authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            identityToken = token.RefreshToken;
        }
        else if (challenge is { IsBasic: true } && credentials.HasPassword)
        {
            authorization = new AuthenticationHeaderValue("Basic", credentials.BasicValue);
        }
        else
        {
            throw BerthException.Unauthorized($"login attempt to {ping} failed with status: 401 Unauthorized");
        }

        using var second = await SendAsync(http, ping, authorization, cancellationToken);
        if (!second.IsSuccessStatusCode)
            throw BerthException.Unauthorized($"login attempt to {ping} failed with status: {(int)second.StatusCode} {second.ReasonPhrase}");
        context.RememberChallenge(endpoint, challenge);
        return new LoginResult(Succeeded, string.IsNullOrEmpty(identityToken) ? null : identityToken);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"Get \"{uri}\": {e.Message}", inner: e) { IsTransport = true };
        }
    }
}

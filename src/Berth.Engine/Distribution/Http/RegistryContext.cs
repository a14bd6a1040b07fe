using System.Collections.Concurrent;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Endpoints;

namespace Berth.Engine.Distribution.Http;

/// <summary>What every registry session shares: settings, connection pools, endpoints, tokens and known challenges.</summary>
public sealed class RegistryContext : IDisposable
{
    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (AuthChallenge? Challenge, DateTimeOffset At)> _challenges = new(StringComparer.Ordinal);

    public RegistryContext(RegistryOptions options)
    {
        Options = options;
        Clients = new RegistryHttpClients(options);
        Endpoints = new EndpointResolver(options);
        Tokens = new TokenService(Clients, Endpoints.TlsForUriAsync);
    }

    public RegistryOptions Options { get; private set; }
    public RegistryHttpClients Clients { get; }
    public EndpointResolver Endpoints { get; private set; }
    public TokenService Tokens { get; private set; }

    /// <summary>
    /// The daemon's registry settings changed (a reload): requests that start from now on see the new mirrors, insecure
    /// registries and limits; those under way finish with the old. Connection pools are kept.
    /// </summary>
    public void Reconfigure(RegistryOptions options)
    {
        var endpoints = new EndpointResolver(options);
        Tokens = new TokenService(Clients, endpoints.TlsForUriAsync);
        Endpoints = endpoints;
        Options = options;
        _challenges.Clear();
    }

    /// <summary>The challenge an endpoint answered its last ping with (null: it wanted no auth), if still fresh.</summary>
    public bool TryGetChallenge(RegistryEndpoint endpoint, out AuthChallenge? challenge)
    {
        challenge = null;
        if (!_challenges.TryGetValue(endpoint.Key, out var entry) || DateTimeOffset.UtcNow - entry.At > ChallengeLifetime) return false;
        challenge = entry.Challenge;
        return true;
    }

    public void RememberChallenge(RegistryEndpoint endpoint, AuthChallenge? challenge) =>
        _challenges[endpoint.Key] = (challenge, DateTimeOffset.UtcNow);

    public void ForgetChallenge(RegistryEndpoint endpoint) => _challenges.TryRemove(endpoint.Key, out _);

    public void Dispose() => Clients.Dispose();
}

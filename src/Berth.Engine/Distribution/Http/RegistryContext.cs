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

    public RegistryOptions Options { get; }
    public RegistryHttpClients Clients { get; }
    public EndpointResolver Endpoints { get; }
    public TokenService Tokens { get; }

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

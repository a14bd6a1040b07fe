using Berth.Oci.Errors;

namespace Berth.Engine.Plugins.Authz;

/// <summary>
/// The daemon's authorization plugins (daemon.json "authorization-plugins", --authorization-plugin), asked in order
/// about every API request before it is served (AuthZReq) and about its answer after (AuthZRes). The first that
/// denies wins. The list can change at a reload; a request uses the list as it was when the request came.
/// </summary>
public sealed class AuthorizationPlugins(PluginRegistry registry)
{
    public const string Capability = "authz";
    private const string RequestMethod = "AuthZPlugin.AuthZReq";
    private const string ResponseMethod = "AuthZPlugin.AuthZRes";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private volatile IReadOnlyList<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public void Configure(IReadOnlyList<string> names) => _names = [.. names];

    /// <summary>Asks each plugin whether <paramref name="request"/> may be served; throws Forbidden with dockerd's wording if not.</summary>
    public Task AuthorizeRequestAsync(IReadOnlyList<string> names, AuthzRequest request, CancellationToken ct) =>
        AskAsync(names, RequestMethod, request, ct);

    /// <summary>Asks each plugin whether the answer in <paramref name="request"/> may reach the client.</summary>
    public Task AuthorizeResponseAsync(IReadOnlyList<string> names, AuthzRequest request, CancellationToken ct) =>
        AskAsync(names, ResponseMethod, request, ct);

    private async Task AskAsync(IReadOnlyList<string> names, string method, AuthzRequest request, CancellationToken ct)
    {
        foreach (string name in names)
        {
            AuthzAnswer answer;
            try
            {
                var plugin = await registry.FindAsync(name, Capability, ct)
                    ?? throw new PluginCallException($"plugin {name} not found");
                answer = await registry.Client.CallAsync(plugin.Address, method, request,
                    AuthzJsonContext.Default.AuthzRequest, AuthzJsonContext.Default.AuthzAnswer, CallTimeout, ct);
            }
            catch (PluginCallException e)
            {
                // A plugin that cannot be asked denies: the daemon does not serve what it could not authorize.
                throw BerthException.Internal($"plugin {name} failed with error: {method}: {e.Message}");
            }
            if (!answer.Allow) throw BerthException.Forbidden($"authorization denied by plugin {name}: {answer.Msg}");
        }
    }
}

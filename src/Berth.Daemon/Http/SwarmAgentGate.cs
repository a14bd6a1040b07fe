using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Daemon.Http;

/// <summary>
/// The swarm agent's private socket (&lt;exec-root&gt;/swarm-agent.sock, mode 0600) serves the same API as every other
/// listener, and the requests under /_swarm/ that only the manager may send (through a worker's tunnels) are served
/// there only: on any other listener they do not exist.
/// </summary>
public static class SwarmAgentGate
{
    public const string SocketName = "swarm-agent.sock";
    private const string ConnectionMark = "berth.swarm-agent";

    public static string SocketPath(string execRoot) => Path.Combine(execRoot, SocketName);

    /// <summary>Marks every connection of the agent socket's listener as the agent's.</summary>
    public static void MarkAgentConnections(ListenOptions listen) => listen.Use(next => connection =>
    {
        connection.Items[ConnectionMark] = true;
        return next(connection);
    });

    /// <summary>Whether the request came through the agent socket.</summary>
    public static bool IsAgentRequest(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ConnectionMark) == true;

    /// <summary>404 "page not found" for /_swarm/ requests that did not come through the agent socket (after the version prefix is stripped).</summary>
    public static IApplicationBuilder UseSwarmAgentGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/_swarm", StringComparison.Ordinal) && !IsAgentRequest(context))
        {
            await ErrorMapping.WriteAsync(context, 404, "page not found");
            return;
        }
        await next(context);
    });
}

using Berth.Client.Hosts;

namespace Berth.Client.Contexts;

/// <summary>
/// Which context a command uses, in docker 28's order: <c>--context</c>; then the implicit default context when
/// <c>-H</c>, <c>BERTH_HOST</c> or <c>DOCKER_HOST</c> is given; then <c>DOCKER_CONTEXT</c>; then config.json's
/// <c>currentContext</c>; else the default context. <c>--context</c> with <c>-H</c> is refused, as docker does.
/// </summary>
public static class ContextResolver
{
    /// <summary>The host variables that override the configured context (berth's own first, as for the host itself).</summary>
    public static readonly IReadOnlyList<string> HostVariables = ["BERTH_HOST", "DOCKER_HOST"];

    public const string ConflictMessage = "conflicting options: cannot specify both --host and --context";

    public static string CurrentName(string? contextFlag, IReadOnlyList<string> hostFlags, Func<string, string?> environment,
        string? configuredContext)
    {
        if (!string.IsNullOrEmpty(contextFlag))
            return contextFlag;
        if (hostFlags.Count > 0 || OverridingHostVariable(environment) is not null)
            return DockerContext.DefaultName;
        if (environment("DOCKER_CONTEXT") is { Length: > 0 } fromEnvironment)
            return fromEnvironment;
        return string.IsNullOrEmpty(configuredContext) ? DockerContext.DefaultName : configuredContext;
    }

    /// <summary>The host variable that is set (and so overrides any configured context), or null.</summary>
    public static string? OverridingHostVariable(Func<string, string?> environment)
    {
        foreach (var variable in HostVariables)
        {
            if (!string.IsNullOrEmpty(environment(variable)))
                return variable;
        }
        return null;
    }

    /// <summary>
    /// The endpoint of context <paramref name="name"/>: the default context is the host flags and variables with
    /// the TLS flags (<paramref name="defaultTls"/>); a stored one is its meta.json host with its own TLS files.
    /// </summary>
    public static DaemonEndpoint Resolve(string name, ContextStore store, IReadOnlyList<string> hostFlags,
        Func<string, string?> environment, TlsSettings? defaultTls)
    {
        if (name == DockerContext.DefaultName)
            return new DaemonEndpoint(name, DaemonHostResolver.Resolve(hostFlags, environment, defaultTls is not null), defaultTls);
        var context = store.Get(name);
        var tls = store.TlsFor(context);
        return new DaemonEndpoint(name, DaemonHost.Parse(context.Host, tls is not null), tls);
    }
}

namespace Berth.Client.Hosts;

/// <summary>Chooses the daemon address: the <c>-H</c> flag, then <c>BERTH_HOST</c>, then <c>DOCKER_HOST</c>, then the default socket.</summary>
/// <remarks>This is the default context's address; <see cref="Contexts.ContextResolver"/> decides whether a stored context replaces it.</remarks>
public static class DaemonHostResolver
{
    public static DaemonHost Resolve(IReadOnlyList<string> hostFlags, Func<string, string?> environment, bool tls)
    {
        if (hostFlags.Count > 1)
            throw new ArgumentException("specify only one -H");
        if (hostFlags.Count == 1)
            return DaemonHost.Parse(hostFlags[0], tls);
        foreach (var variable in (ReadOnlySpan<string>)["BERTH_HOST", "DOCKER_HOST"])
        {
            var value = environment(variable);
            if (!string.IsNullOrEmpty(value))
                return DaemonHost.Parse(value, tls);
        }
        return DaemonHost.Default;
    }
}

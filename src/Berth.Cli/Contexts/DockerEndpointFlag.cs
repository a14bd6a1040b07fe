using Berth.Client.Contexts;

namespace Berth.Cli.Contexts;

/// <summary>
/// <c>--docker host=...,ca=...,cert=...,key=...,skip-tls-verify=...,from=...</c> of context create/update: the
/// docker endpoint of a context and the TLS files to copy into the store, read as docker reads them.
/// </summary>
public sealed record DockerEndpointFlag(string Host, bool SkipTlsVerify, IReadOnlyDictionary<string, byte[]> TlsFiles)
{
    private const string Prefix = "unable to create docker endpoint config: ";

    /// <summary>The flag's values (repeatable, comma-separated pairs, later keys win), or null when not given.</summary>
    public static DockerEndpointFlag? From(IReadOnlyList<string> values, CliContext context)
    {
        if (values.Count == 0)
            return null;
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq < 0)
                    throw new CliException($"invalid argument \"{value}\" for \"--docker\" flag: {pair} must be formatted as key=value");
                pairs[pair[..eq]] = pair[(eq + 1)..];
            }
        }
        foreach (var key in pairs.Keys)
        {
            if (key is not ("from" or "host" or "ca" or "cert" or "key" or "skip-tls-verify"))
                throw new CliException(Prefix + "unrecognized config key: " + key);
        }
        if (pairs.TryGetValue("from", out var from))
            return Copy(context, from);

        var skip = false;
        if (pairs.TryGetValue("skip-tls-verify", out var skipText))
            skip = Berth.GoText.GoBool.Parse(skipText) ?? throw new CliException($"{Prefix}strconv.ParseBool: parsing \"{skipText}\": invalid syntax");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, file) in (ReadOnlySpan<(string, string)>)[("ca", "ca.pem"), ("cert", "cert.pem"), ("key", "key.pem")])
        {
            if (!pairs.TryGetValue(key, out var path) || path.Length == 0)
                continue;
            try
            {
                files[file] = File.ReadAllBytes(ExpandHome(path, context));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CliException($"{Prefix}open {path}: no such file or directory");
            }
        }
        var host = pairs.GetValueOrDefault("host", "");
        if (host.Length > 0)
        {
            try
            {
                _ = Client.Hosts.DaemonHost.Parse(host);
            }
            catch (ArgumentException e)
            {
                throw new CliException(Prefix + e.Message);
            }
        }
        return new DockerEndpointFlag(host, skip, files);
    }

    /// <summary>Another context's endpoint, TLS files included (the default context's is the current host).</summary>
    public static DockerEndpointFlag Copy(CliContext context, string name)
    {
        if (name == DockerContext.DefaultName)
        {
            var endpoint = ContextResolver.Resolve(name, context.Contexts, context.HostFlags, context.Environment, context.FlagTls);
            return new DockerEndpointFlag(endpoint.Host.ToString(), false, new Dictionary<string, byte[]>());
        }
        var source = context.Contexts.Get(name);
        return new DockerEndpointFlag(source.Host, source.SkipTlsVerify, context.Contexts.ReadTls(name));
    }

    /// <summary>docker expands a leading "~" in these paths (the help's example uses ~/ca-file).</summary>
    private static string ExpandHome(string path, CliContext context)
        => path.StartsWith("~/", StringComparison.Ordinal) && context.Environment("HOME") is { Length: > 0 } home
            ? Path.Combine(home, path[2..])
            : path;
}

namespace Berth.Cli.Registry;

/// <summary>
/// Where the credentials of each registry live: the helper config.json names for it (<c>credHelpers</c>, then
/// <c>credsStore</c>), else config.json's own <c>auths</c> — the docker CLI's rules, so both programs share logins.
/// </summary>
public sealed class CredentialStore(DockerConfigFile config)
{
    public DockerConfigFile Config => config;

    /// <summary>True when the secret goes into config.json itself (docker warns that it is stored unencrypted).</summary>
    public bool StoresInFile(string server) => config.HelperFor(server) is null;

    public static CredentialStore Open(CliContext context) =>
        new(DockerConfigFile.Load(DockerConfigFile.DirectoryFor(context.ConfigDirectoryFlag, context.Environment)));

    /// <summary>The stored credentials for a registry host or server address, if any.</summary>
    public async Task<Credentials?> GetAsync(string server, CancellationToken cancellationToken)
    {
        if (config.HelperFor(server) is { } helper)
            return await new CredentialHelper(helper).GetAsync(server, cancellationToken);
        return config.GetAuth(server) ?? config.GetAuthByHostname(server);
    }

    /// <summary>
    /// Every stored login, by server (docker's GetAllCredentials, which a build sends for the pulls its FROM lines may
    /// need): the default store's (what <c>credsStore</c> lists, else config.json's own <c>auths</c>), then each
    /// <c>credHelpers</c> registry's from its own helper, which wins.
    /// </summary>
    public async Task<SortedDictionary<string, Credentials>> GetAllAsync(CancellationToken cancellationToken)
    {
        var all = new SortedDictionary<string, Credentials>(StringComparer.Ordinal);
        if (config.CredsStore is { } storeName)
        {
            var store = new CredentialHelper(storeName);
            foreach (var server in await store.ListAsync(cancellationToken))
            {
                if (await store.GetAsync(server, cancellationToken) is { } stored)
                    all[server] = stored;
            }
        }
        else
        {
            // An entry without a secret is still sent, with its address only, as docker does.
            foreach (var server in config.AuthServers)
                all[server] = config.GetAuth(server) ?? new Credentials(server, "", "");
        }
        foreach (var server in config.HelperServers)
        {
            try
            {
                if (await GetAsync(server, cancellationToken) is { } stored)
                    all[server] = stored;
            }
            catch (CliException)
            {
                // docker only warns about a registry helper that fails, and builds without that login.
            }
        }
        return all;
    }

    public async Task StoreAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        if (config.HelperFor(credentials.ServerAddress) is { } helper)
        {
            await new CredentialHelper(helper).StoreAsync(credentials, cancellationToken);
            config.MarkStoredElsewhere(credentials.ServerAddress);
        }
        else
        {
            config.SetAuth(credentials);
        }
        config.Save();
    }

    /// <summary>Forgets a registry's credentials; false when none were known.</summary>
    public async Task<bool> EraseAsync(string server, CancellationToken cancellationToken)
    {
        bool known = config.HasServer(server);
        if (config.HelperFor(server) is { } helper)
        {
            known |= await new CredentialHelper(helper).GetAsync(server, cancellationToken) is not null;
            if (known) await new CredentialHelper(helper).EraseAsync(server, cancellationToken);
        }
        if (!known) return false;
        config.RemoveAuth(server);
        config.Save();
        return true;
    }
}

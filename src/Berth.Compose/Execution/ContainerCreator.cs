using System.Formats.Tar;
using System.Text.Json.Nodes;
using Berth.Client;

namespace Berth.Compose.Execution;

/// <summary>Creates a planned container: create, connect the other networks, copy in the secrets and configs.</summary>
internal sealed class ContainerCreator(EngineClient client)
{
    public async Task<string> CreateAsync(ContainerCreatePlan plan, string name, string? platform, CancellationToken ct)
    {
        string id;
        try
        {
            id = (await client.CreateContainerAsync(plan.Body, name, platform, ct)).Id;
        }
        catch (EngineApiException e)
        {
            throw new ComposeException(e.Message);
        }
        foreach (var network in plan.LaterNetworks)
            await client.ConnectNetworkAsync(network.Network, id, network.EndpointConfig, ct);
        if (plan.Injections.Count > 0)
        {
            using var tar = await InjectionTarAsync(plan.Injections, ct);
            await client.PutArchiveAsync(id, "/", tar, copyUidGid: false, ct);
        }
        return id;
    }

    /// <summary>A tar rooted at "/" holding each file at its absolute target, with its parent directories.</summary>
    internal static async Task<MemoryStream> InjectionTarAsync(IReadOnlyList<FileInjection> files, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            var directories = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                string relative = file.Target.TrimStart('/');
                var parts = relative.Split('/');
                for (int depth = 1; depth < parts.Length; depth++)
                {
                    string directory = string.Join('/', parts[..depth]) + "/";
                    if (directories.Add(directory))
                        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = (UnixFileMode)0x1ED, ModificationTime = now }, ct);
                }
                // 0444: a secret is read, never written, as Compose mounts them.
                var entry = new PaxTarEntry(TarEntryType.RegularFile, relative)
                {
                    Mode = (UnixFileMode)0x124,
                    ModificationTime = now,
                    DataStream = new MemoryStream(file.Content, writable: false),
                };
                await writer.WriteEntryAsync(entry, ct);
            }
        }
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// The anonymous volumes of a container, by target: those the file declares without a source, and those the
    /// image declares (named by 64 hex digits, not by the file), so that a recreated container keeps their data.
    /// </summary>
    public static Dictionary<string, string> AnonymousVolumes(JsonObject inspect, Model.ServiceConfig service)
    {
        var declared = service.Volumes.ToDictionary(v => v.Target, v => v, StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in inspect.Arr("Mounts")?.OfType<JsonObject>() ?? [])
        {
            if (mount.Str("Type") != "volume" || mount.Str("Name") is not { Length: > 0 } name)
                continue;
            string target = mount.Str("Destination");
            bool anonymous = declared.TryGetValue(target, out var volume)
                ? volume.Type == "volume" && volume.Source is null
                : name.Length == 64 && name.All(char.IsAsciiHexDigitLower);
            if (anonymous)
                result[target] = name;
        }
        return result;
    }
}

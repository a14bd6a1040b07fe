using System.Text.Json;

namespace Berth.TestPlugin;

/// <summary>
/// The VolumeDriver methods over directories: volume NAME is ROOT/NAME, its create options are kept in
/// ROOT/.NAME.opts.json, and every call is appended to ROOT/.calls.log ("Mount NAME ID") so tests can see what the
/// engine asked. Create with the option fail=MESSAGE answers the error MESSAGE.
/// </summary>
internal sealed class VolumeDriver(string root)
{
    private readonly object gate = new();
    private readonly Dictionary<string, HashSet<string>> mounts = new(StringComparer.Ordinal);

    public PluginResponse Handle(string method, byte[] body)
    {
        var request = body.Length == 0 ? new VolumeRequest() : JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.VolumeRequest) ?? new VolumeRequest();
        lock (gate)
        {
            Log(method, request);
            return method switch
            {
                "Plugin.Activate" => PluginResponse.Ok(new VolumeResponse { Implements = ["VolumeDriver"] }),
                "VolumeDriver.Capabilities" => PluginResponse.Ok(new VolumeResponse { Capabilities = new CapabilitiesInfo() }),
                "VolumeDriver.Create" => Create(request),
                "VolumeDriver.Remove" => Remove(request),
                "VolumeDriver.Mount" => Mount(request),
                "VolumeDriver.Unmount" => Unmount(request),
                "VolumeDriver.Path" => Existing(request, out var path) is { } error ? error : PluginResponse.Ok(new VolumeResponse { Mountpoint = path }),
                "VolumeDriver.Get" => Get(request),
                "VolumeDriver.List" => List(),
                _ => new PluginResponse(404, "404 page not found\n"u8.ToArray()),
            };
        }
    }

    private PluginResponse Create(VolumeRequest request)
    {
        if (!ValidName(request.Name))
            return PluginResponse.Error($"invalid volume name \"{request.Name}\"");
        if (request.Opts is { } opts && opts.TryGetValue("fail", out var message))
            return PluginResponse.Error(message);
        Directory.CreateDirectory(VolumePath(request.Name!));
        File.WriteAllBytes(OptsPath(request.Name!), JsonSerializer.SerializeToUtf8Bytes(request.Opts ?? [], ProtocolJsonContext.Default.DictionaryStringString));
        return PluginResponse.Ok(new VolumeResponse());
    }

    private PluginResponse Remove(VolumeRequest request)
    {
        if (Existing(request, out var path) is { } error)
            return error;
        if (mounts.TryGetValue(request.Name!, out var ids) && ids.Count > 0)
            return PluginResponse.Error($"volume {request.Name} is mounted {ids.Count} times");
        Directory.Delete(path, recursive: true);
        File.Delete(OptsPath(request.Name!));
        return PluginResponse.Ok(new VolumeResponse());
    }

    private PluginResponse Mount(VolumeRequest request)
    {
        if (Existing(request, out var path) is { } error)
            return error;
        if (!mounts.TryGetValue(request.Name!, out var ids))
            mounts[request.Name!] = ids = new HashSet<string>(StringComparer.Ordinal);
        ids.Add(request.ID ?? "");
        return PluginResponse.Ok(new VolumeResponse { Mountpoint = path });
    }

    private PluginResponse Unmount(VolumeRequest request)
    {
        if (Existing(request, out _) is { } error)
            return error;
        if (!mounts.TryGetValue(request.Name!, out var ids) || !ids.Remove(request.ID ?? ""))
            return PluginResponse.Error($"volume {request.Name} is not mounted by {request.ID}");
        return PluginResponse.Ok(new VolumeResponse());
    }

    private PluginResponse Get(VolumeRequest request)
    {
        if (Existing(request, out var path) is { } error)
            return error;
        return PluginResponse.Ok(new VolumeResponse { Volume = Describe(request.Name!, path, withStatus: true) });
    }

    private PluginResponse List()
    {
        Directory.CreateDirectory(root);
        var volumes = Directory.EnumerateDirectories(root)
            .Select(Path.GetFileName)
            .Where(name => ValidName(name))
            .Order(StringComparer.Ordinal)
            .Select(name => Describe(name!, VolumePath(name!), withStatus: false))
            .ToList();
        return PluginResponse.Ok(new VolumeResponse { Volumes = volumes });
    }

    private VolumeInfo Describe(string name, string path, bool withStatus)
    {
        var info = new VolumeInfo
        {
            Name = name,
            Mountpoint = path,
            CreatedAt = Directory.GetCreationTimeUtc(path).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (withStatus)
        {
            var opts = File.Exists(OptsPath(name))
                ? JsonSerializer.Deserialize(File.ReadAllBytes(OptsPath(name)), ProtocolJsonContext.Default.DictionaryStringString) ?? []
                : [];
            info.Status = new Dictionary<string, object>
            {
                ["Opts"] = opts,
                ["Mounts"] = mounts.TryGetValue(name, out var ids) ? ids.Count : 0,
            };
        }
        return info;
    }

    private PluginResponse? Existing(VolumeRequest request, out string path)
    {
        path = "";
        if (!ValidName(request.Name) || !Directory.Exists(VolumePath(request.Name!)))
            return PluginResponse.Error($"volume {request.Name} not found");
        path = VolumePath(request.Name!);
        return null;
    }

    private void Log(string method, VolumeRequest request)
    {
        Directory.CreateDirectory(root);
        var line = string.Join(' ', new[] { method, request.Name, request.ID }.Where(p => !string.IsNullOrEmpty(p)));
        File.AppendAllText(Path.Combine(root, ".calls.log"), line + "\n");
    }

    private static bool ValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name[0] != '.' && !name.Contains('/') && name != "..";

    private string VolumePath(string name) => Path.Combine(root, name);

    private string OptsPath(string name) => Path.Combine(root, "." + name + ".opts.json");
}

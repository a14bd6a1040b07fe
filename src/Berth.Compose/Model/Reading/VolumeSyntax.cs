using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// A service's <c>volumes</c>. Short syntax is <c>SOURCE:TARGET[:MODES]</c> or a lone <c>TARGET</c> (an anonymous
/// volume); a source that starts with ".", "/" or "~" is a host path, anything else a volume of the project.
/// </summary>
internal static class VolumeSyntax
{
    private static readonly HashSet<string> Propagations =
        ["shared", "rshared", "slave", "rslave", "private", "rprivate"];

    public static List<ServiceVolume> Read(JsonNode? node, string path, string service, ProjectScope scope)
    {
        var volumes = new List<ServiceVolume>();
        if (node is null)
            return volumes;
        if (node is not JsonArray items)
            throw RawNodes.Invalid(path, "must be a list");
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.{i}";
            var volume = items[i] is JsonObject mapping
                ? ReadLong(mapping, itemPath, scope)
                : ParseShort(RawNodes.RequiredString(items[i], itemPath), itemPath, scope);
            if (volume.Type == "volume" && volume.Source is not null && !scope.VolumeKeys.Contains(volume.Source))
                throw new ComposeException(
                    $"service \"{service}\" refers to undefined volume {volume.Source}: invalid compose project");
            volumes.Add(volume);
        }
        return volumes;
    }

    internal static ServiceVolume ParseShort(string spec, string path, ProjectScope scope)
    {
        var parts = spec.Split(':');
        if (parts.Length == 1)
            return new ServiceVolume { Type = "volume", Target = RequireTarget(parts[0], spec, path) };
        if (parts.Length > 3 || parts[0] == "")
            throw RawNodes.Invalid(path, $"invalid volume specification \"{spec}\"");

        var source = parts[0];
        var isBind = source[0] is '.' or '/' or '~';
        var volume = new ServiceVolume
        {
            Type = isBind ? "bind" : "volume",
            Source = isBind ? scope.HostPath(source) : source,
            Target = RequireTarget(parts[1], spec, path),
            CreateHostPath = isBind,
        };
        if (parts.Length == 3)
        {
            foreach (var mode in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                volume = mode switch
                {
                    "ro" => volume with { ReadOnly = true },
                    "rw" => volume with { ReadOnly = false },
                    "z" or "Z" => volume with { Selinux = mode },
                    "nocopy" => volume with { VolumeNoCopy = true },
                    _ when Propagations.Contains(mode) => volume with { BindPropagation = mode },
                    _ => throw RawNodes.Invalid(path, $"invalid mode \"{mode}\" in volume \"{spec}\""),
                };
            }
        }
        return volume;
    }

    private static string RequireTarget(string target, string spec, string path) =>
        target.StartsWith('/') ? target : throw RawNodes.Invalid(path, $"invalid volume specification \"{spec}\": target must be an absolute path");

    private static ServiceVolume ReadLong(JsonObject mapping, string path, ProjectScope scope)
    {
        var type = RawNodes.RequiredString(mapping["type"], $"{path}.type");
        if (type is not ("bind" or "volume" or "tmpfs"))
            throw RawNodes.Invalid(path, $"volume type \"{type}\" is not supported");
        var target = RawNodes.RequiredString(mapping["target"], $"{path}.target");
        var source = RawNodes.String(mapping["source"], $"{path}.source");
        if (source == "")
            source = null;
        if (type == "bind")
        {
            if (source is null)
                throw RawNodes.Invalid(path, "a bind mount needs a source");
            source = scope.HostPath(source);
        }
        if (type == "tmpfs" && source is not null)
            throw RawNodes.Invalid(path, "a tmpfs mount takes no source");

        var bind = RawNodes.Mapping(mapping["bind"], $"{path}.bind");
        var volume = RawNodes.Mapping(mapping["volume"], $"{path}.volume");
        var tmpfs = RawNodes.Mapping(mapping["tmpfs"], $"{path}.tmpfs");
        return new ServiceVolume
        {
            Type = type,
            Source = source,
            Target = target,
            ReadOnly = RawNodes.Bool(mapping["read_only"], $"{path}.read_only") ?? false,
            BindPropagation = RawNodes.String(bind?["propagation"], $"{path}.bind.propagation"),
            CreateHostPath = RawNodes.Bool(bind?["create_host_path"], $"{path}.bind.create_host_path") ?? false,
            Selinux = RawNodes.String(bind?["selinux"], $"{path}.bind.selinux"),
            VolumeNoCopy = RawNodes.Bool(volume?["nocopy"], $"{path}.volume.nocopy") ?? false,
            VolumeLabels = RawNodes.StringMap(volume?["labels"], $"{path}.volume.labels"),
            TmpfsSize = RawNodes.Bytes(tmpfs?["size"], $"{path}.tmpfs.size"),
            TmpfsMode = ReadMode(tmpfs?["mode"], $"{path}.tmpfs.mode"),
        };
    }

    /// <summary>A file mode, written in octal as the documentation shows it (1770).</summary>
    internal static int? ReadMode(JsonNode? node, string path)
    {
        var text = RawNodes.String(node, path);
        if (text is null)
            return null;
        try
        {
            return Convert.ToInt32(text, 8);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw RawNodes.Invalid(path, $"invalid file mode \"{text.ToString(CultureInfo.InvariantCulture)}\"");
        }
    }
}

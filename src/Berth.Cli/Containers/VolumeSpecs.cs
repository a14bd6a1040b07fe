using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Containers;

/// <summary>
/// <c>-v</c> (kept verbatim in Binds, or an anonymous volume in Config.Volumes) and <c>--mount</c>
/// (docker's CSV key=value form, into HostConfig.Mounts with Go's omitempty shape).
/// </summary>
public static class VolumeSpecs
{
    private static readonly HashSet<string> Modes = new(StringComparer.Ordinal)
    {
        "ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate",
        "consistent", "cached", "delegated",
    };

    /// <summary>Returns the anonymous volume's target, or null when the spec is a bind or a named volume (kept in Binds).</summary>
    public static string? ParseVolume(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Any(p => p.Length == 0))
            throw new InvalidOptionException($"invalid spec: {spec}: empty section between colons");
        string target;
        switch (parts.Length)
        {
            case 1:
                target = parts[0];
                break;
            case 2:
                if (IsValidMode(parts[1]))
                    throw new InvalidOptionException($"invalid mode: {parts[1]}");
                target = parts[1];
                break;
            case 3:
                if (!IsValidMode(parts[2]))
                    throw new InvalidOptionException($"invalid mode: {parts[2]}");
                target = parts[1];
                break;
            default:
                throw new InvalidOptionException($"invalid spec: {spec}: too many colons");
        }
        if (!target.StartsWith('/'))
            throw new InvalidOptionException($"invalid mount config for type \"{(parts.Length == 1 ? "volume" : "bind")}\": invalid mount path: '{target}' mount path must be absolute");
        return parts.Length == 1 ? target : null;
    }

    private static bool IsValidMode(string mode) => mode.Split(',').All(Modes.Contains);

    public static JsonObject ParseMount(string spec)
    {
        string type = "volume";
        string? source = null, target = null, consistency = null, propagation = null, subpath = null, driver = null;
        bool readOnly = false, noCopy = false, hasVolumeOption = false, hasBindOption = false, hasTmpfsOption = false;
        bool? nonRecursive = null;
        long tmpfsSize = 0;
        int tmpfsMode = 0;
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var driverOptions = new SortedDictionary<string, string>(StringComparer.Ordinal);

        foreach (var field in SplitCsv(spec))
        {
            var eq = field.IndexOf('=');
            var key = (eq >= 0 ? field[..eq] : field).Trim().ToLowerInvariant();
            var value = eq >= 0 ? field[(eq + 1)..] : null;
            bool BoolValue() => value is null ? true : Berth.GoText.GoBool.Parse(value.ToLowerInvariant() == "yes" ? "true" : value.ToLowerInvariant() == "no" ? "false" : value)
                ?? throw new InvalidOptionException($"invalid value for {key}: {value}");
            string Required() => value ?? throw new InvalidOptionException($"invalid field '{field}' must be a key=value pair");
            switch (key)
            {
                case "type": type = Required().ToLowerInvariant(); break;
                case "source" or "src": source = Required(); break;
                case "target" or "dst" or "destination": target = Required(); break;
                case "readonly" or "ro": readOnly = BoolValue(); break;
                case "consistency": consistency = Required(); break;
                case "bind-propagation": propagation = Required(); hasBindOption = true; break;
                case "bind-nonrecursive": nonRecursive = BoolValue(); hasBindOption = true; break;
                case "volume-nocopy": noCopy = BoolValue(); hasVolumeOption = true; break;
                case "volume-label": AddPair(labels, Required()); hasVolumeOption = true; break;
                case "volume-driver": driver = Required(); hasVolumeOption = true; break;
                case "volume-opt": AddPair(driverOptions, Required()); hasVolumeOption = true; break;
                case "volume-subpath": subpath = Required(); hasVolumeOption = true; break;
                case "tmpfs-size":
                    tmpfsSize = ByteSizes.TryParseRam(Required(), out var size) ? size : throw new InvalidOptionException($"invalid value for {key}: {value}");
                    hasTmpfsOption = true;
                    break;
                case "tmpfs-mode":
                    tmpfsMode = TryOctal(Required(), out var mode) ? mode : throw new InvalidOptionException($"invalid value for {key}: {value}");
                    hasTmpfsOption = true;
                    break;
                default:
                    throw new InvalidOptionException($"unexpected key '{key}' in '{field}'");
            }
        }
        if (type is not ("bind" or "volume" or "tmpfs" or "npipe" or "cluster" or "image"))
            throw new InvalidOptionException($"invalid mount type: {type}");
        if (string.IsNullOrEmpty(target))
            throw new InvalidOptionException("target is required");
        if (hasBindOption && type != "bind")
            throw new InvalidOptionException($"cannot mix 'bind-*' options with mount type '{type}'");
        if (hasVolumeOption && type != "volume")
            throw new InvalidOptionException($"cannot mix 'volume-*' options with mount type '{type}'");
        if (hasTmpfsOption && type != "tmpfs")
            throw new InvalidOptionException($"cannot mix 'tmpfs-*' options with mount type '{type}'");

        var mount = new JsonObject { ["Type"] = type };
        if (!string.IsNullOrEmpty(source))
            mount["Source"] = source;
        mount["Target"] = target;
        if (readOnly)
            mount["ReadOnly"] = true;
        if (!string.IsNullOrEmpty(consistency))
            mount["Consistency"] = consistency;
        if (hasBindOption)
        {
            var bind = new JsonObject();
            if (propagation is not null)
                bind["Propagation"] = propagation;
            if (nonRecursive == true)
                bind["NonRecursive"] = true;
            mount["BindOptions"] = bind;
        }
        if (hasVolumeOption)
        {
            var volume = new JsonObject();
            if (noCopy)
                volume["NoCopy"] = true;
            if (labels.Count > 0)
                volume["Labels"] = ToJson(labels);
            if (subpath is not null)
                volume["Subpath"] = subpath;
            if (driver is not null || driverOptions.Count > 0)
            {
                var config = new JsonObject();
                if (driver is not null)
                    config["Name"] = driver;
                if (driverOptions.Count > 0)
                    config["Options"] = ToJson(driverOptions);
                volume["DriverConfig"] = config;
            }
            mount["VolumeOptions"] = volume;
        }
        if (hasTmpfsOption)
        {
            var tmpfs = new JsonObject();
            if (tmpfsSize != 0)
                tmpfs["SizeBytes"] = tmpfsSize;
            if (tmpfsMode != 0)
                tmpfs["Mode"] = tmpfsMode;
            mount["TmpfsOptions"] = tmpfs;
        }
        return mount;
    }

    private static bool TryOctal(string text, out int value)
    {
        value = 0;
        if (text.Length == 0)
            return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '7')
                return false;
            value = value * 8 + (c - '0');
        }
        return true;
    }

    private static void AddPair(SortedDictionary<string, string> map, string pair)
    {
        var eq = pair.IndexOf('=');
        if (eq < 0)
            map[pair] = "";
        else
            map[pair[..eq]] = pair[(eq + 1)..];
    }

    private static JsonObject ToJson(SortedDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map)
            obj[k] = v;
        return obj;
    }

    /// <summary>Splits one CSV record (fields may be quoted with "), as Go's encoding/csv reads a --mount value.</summary>
    public static List<string> SplitCsv(string text)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    current.Append(c);
            }
            else if (c == '"')
                quoted = true;
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
                current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}

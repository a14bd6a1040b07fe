using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>
/// A HostConfig.Binds entry as Docker parses it: <c>/host:/container[:mode]</c> is a bind, <c>name:/container[:mode]</c> a
/// named volume; mode is a comma list of ro/rw, a propagation, nocopy and SELinux letters.
/// </summary>
public sealed record BindSpec(string Source, string Destination, bool ReadOnly, string Mode, string Propagation)
{
    private static readonly string[] Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    /// <summary>The source is a volume name rather than a host path.</summary>
    public bool IsVolume => !Source.StartsWith('/');

    /// <summary>The <c>nocopy</c> mode: the image's content is not copied into an empty volume.</summary>
    public bool NoCopy { get; init; }

    public static BindSpec Parse(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length is < 2 or > 3) throw BerthException.Invalid($"invalid volume specification: '{spec}'");
        string source = parts[0], destination = parts[1], mode = parts.Length == 3 ? parts[2] : "";
        bool isVolume = !source.StartsWith('/');
        if (!destination.StartsWith('/'))
            throw BerthException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"{(isVolume ? "volume" : "bind")}\": invalid mount path: '{destination}' mount path must be absolute");
        if (source.Length == 0) throw BerthException.Invalid($"invalid volume specification: '{spec}'");
        if (isVolume && !Volumes.VolumeNames.IsValid(source))
            throw BerthException.Invalid($"create {source}: \"{source}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        bool readOnly = false, noCopy = false;
        string propagation = isVolume ? "" : "rprivate";
        foreach (var option in mode.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (option == "ro") readOnly = true;
            else if (option == "rw") readOnly = false;
            else if (Propagations.Contains(option) && !isVolume) propagation = option;
            else if (option == "nocopy" && isVolume) noCopy = true;
            else if (option is "z" or "Z" or "consistent" or "cached" or "delegated") { }
            else throw BerthException.Invalid($"invalid mode: {option}");
        }
        // dockerd shows a named volume without a mode as "z" (its SELinux default).
        if (isVolume && mode.Length == 0) mode = "z";
        return new BindSpec(source, destination, readOnly, mode, propagation) { NoCopy = noCopy };
    }
}

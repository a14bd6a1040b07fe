using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>A <c>-v /host:/container[:ro|rw][,propagation]</c> bind, parsed as Docker parses HostConfig.Binds.</summary>
public sealed record BindSpec(string Source, string Destination, bool ReadOnly, string Mode, string Propagation)
{
    private static readonly string[] Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    public static BindSpec Parse(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length is < 2 or > 3) throw BerthException.Invalid($"invalid volume specification: '{spec}'");
        string source = parts[0], destination = parts[1], mode = parts.Length == 3 ? parts[2] : "";
        if (!destination.StartsWith('/'))
            throw BerthException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"bind\": invalid mount path: '{destination}' mount path must be absolute");
        if (!source.StartsWith('/'))
            throw BerthException.NotImplemented($"named volume \"{source}\": volumes are not implemented in this version of berthd");
        bool readOnly = false;
        string propagation = "rprivate";
        foreach (var option in mode.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (option == "ro") readOnly = true;
            else if (option == "rw") readOnly = false;
            else if (Propagations.Contains(option)) propagation = option;
            else if (option is "z" or "Z" or "nocopy" or "consistent" or "cached" or "delegated") { }
            else throw BerthException.Invalid($"invalid mode: {option}");
        }
        return new BindSpec(source, destination, readOnly, mode, propagation);
    }
}

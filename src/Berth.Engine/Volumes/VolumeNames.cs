using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Berth.Oci.Errors;

namespace Berth.Engine.Volumes;

/// <summary>The local driver's naming rules, with dockerd's messages, and the 64-hex names of anonymous volumes.</summary>
public static partial class VolumeNames
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    public static void Validate(string name)
    {
        if (name.Length == 1)
            throw BerthException.Invalid($"create {name}: volume name is too short, names should be at least two alphanumeric characters");
        if (!ValidName().IsMatch(name))
            throw BerthException.Invalid($"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    public static bool IsValid(string name) => ValidName().IsMatch(name);

    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

namespace Berth.Engine.Distribution.Manifests;

/// <summary>
/// Chooses the entry of an index that runs on a platform, with containerd's normalisation (x86_64 is amd64, aarch64
/// is arm64, arm64/v8 and amd64/v1 are the plain architecture, bare arm is arm/v7). An arm host also runs older arm
/// variants; the closest variant wins. Attestation manifests (unknown/unknown) are never chosen.
/// </summary>
public static class PlatformMatcher
{
    public static Descriptor? Select(IEnumerable<Descriptor> entries, PlatformSpec wanted)
    {
        var want = Normalize(wanted);
        Descriptor? best = null;
        int bestRank = int.MaxValue;
        foreach (var entry in entries)
        {
            if (entry.Platform is null || IsAttestation(entry)) continue;
            int rank = Rank(Normalize(entry.Platform), want);
            if (rank < bestRank)
            {
                best = entry;
                bestRank = rank;
            }
        }
        return best;
    }

    /// <summary>0 for an exact match, a growing number for less exact ones, int.MaxValue when it cannot run.</summary>
    public static int Rank(PlatformSpec candidate, PlatformSpec want)
    {
        if (!candidate.Os.Equals(want.Os, StringComparison.OrdinalIgnoreCase) || candidate.Architecture != want.Architecture) return int.MaxValue;
        string have = candidate.Variant ?? "", need = want.Variant ?? "";
        if (have == need) return 0;
        if (want.Architecture == "arm" && ArmLevel(have) is int h && ArmLevel(need) is int n && h < n) return 1 + (n - h);
        if (have.Length == 0) return 10;
        return int.MaxValue;
    }

    public static PlatformSpec Normalize(PlatformSpec platform)
    {
        string os = platform.Os.ToLowerInvariant();
        string arch = platform.Architecture.ToLowerInvariant();
        string variant = (platform.Variant ?? "").ToLowerInvariant();
        switch (arch)
        {
            case "x86_64" or "x86-64" or "amd64":
                arch = "amd64";
                if (variant == "v1") variant = "";
                break;
            case "aarch64" or "arm64":
                arch = "arm64";
                if (variant is "8" or "v8" or "v8.0") variant = "";
                break;
            case "armhf":
                arch = "arm";
                variant = "v7";
                break;
            case "armel":
                arch = "arm";
                variant = "v6";
                break;
            case "arm":
                if (variant.Length == 0 || variant is "7") variant = "v7";
                else if (variant is "5" or "6" or "8") variant = "v" + variant;
                break;
            case "i386" or "i686" or "x86":
                arch = "386";
                break;
        }
        return new PlatformSpec { Os = os, Architecture = arch, Variant = variant.Length == 0 ? null : variant };
    }

    private static int? ArmLevel(string variant) =>
        variant.Length == 2 && variant[0] == 'v' && char.IsAsciiDigit(variant[1]) ? variant[1] - '0' : null;

    private static bool IsAttestation(Descriptor entry) =>
        entry.Annotations?.GetValueOrDefault("vnd.docker.reference.type") == "attestation-manifest"
        || (entry.Platform is { Os: "unknown", Architecture: "unknown" });
}

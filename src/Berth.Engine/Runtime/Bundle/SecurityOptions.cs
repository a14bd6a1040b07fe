using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Bundle;

/// <summary>The parts of --security-opt that shape the bundle, parsed as Docker's parseSecurityOpt.</summary>
public sealed record SecurityOptions
{
    public bool NoNewPrivileges { get; init; }
    public bool SeccompUnconfined { get; init; }
    /// <summary>A profile other than the built-in default (seccomp=&lt;json&gt; or seccomp=&lt;path&gt;).</summary>
    public SeccompProfile? SeccompProfile { get; init; }
    /// <summary>systempaths=unconfined: no masked or read-only /proc and /sys paths.</summary>
    public bool UnconfinedSystemPaths { get; init; }

    public static SecurityOptions Parse(IEnumerable<string> securityOpt)
    {
        var options = new SecurityOptions();
        foreach (string opt in securityOpt)
        {
            if (opt == "no-new-privileges") { options = options with { NoNewPrivileges = true }; continue; }
            if (opt == "disable") continue; // label:disable in its shortest form

            // "key=value"; "key:value" is Docker's deprecated spelling and still accepted by it.
            int separator = opt.IndexOf('=');
            if (separator < 0) separator = opt.IndexOf(':');
            if (separator < 0) throw BerthException.Invalid($"invalid --security-opt 1: \"{opt}\"");
            string key = opt[..separator], value = opt[(separator + 1)..];
            options = key switch
            {
                "label" or "apparmor" => options, // no SELinux or AppArmor on Berth's hosts
                "seccomp" => WithSeccomp(options, value),
                "no-new-privileges" => options with
                {
                    NoNewPrivileges = GoText.GoBool.Parse(value) ?? throw BerthException.Invalid($"invalid --security-opt 2: \"{opt}\""),
                },
                "systempaths" when value == "unconfined" => options with { UnconfinedSystemPaths = true },
                _ => throw BerthException.Invalid($"invalid --security-opt 2: \"{opt}\""),
            };
        }
        return options;
    }

    /// <summary>The docker CLI sends a profile's content; a path is accepted too for API callers that send one.</summary>
    private static SecurityOptions WithSeccomp(SecurityOptions options, string value)
    {
        string trimmed = value.Trim();
        if (trimmed == "unconfined") return options with { SeccompUnconfined = true, SeccompProfile = null };
        if (trimmed is "" or "builtin") return options with { SeccompUnconfined = false, SeccompProfile = null };
        if (trimmed.StartsWith('{')) return options with { SeccompUnconfined = false, SeccompProfile = SeccompProfile.Parse(trimmed) };
        string json;
        try { json = File.ReadAllText(trimmed); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Invalid($"opening seccomp profile ({trimmed}) failed: {e.Message}");
        }
        return options with { SeccompUnconfined = false, SeccompProfile = SeccompProfile.Parse(json) };
    }

}

using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>daemon.json "seccomp-profile", read and checked once at start as dockerd does (a bad profile stops the daemon).</summary>
public static class DaemonSeccomp
{
    /// <summary>The profile as <see cref="Berth.Engine.EngineOptions.DefaultSeccomp"/> holds it: null for the built-in one.</summary>
    public static string? Load(string setting)
    {
        if (setting is "" or "builtin") return null;
        if (setting == "unconfined") return setting;
        string json;
        try
        {
            json = File.ReadAllText(setting);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Invalid($"failed to start daemon: opening seccomp profile ({setting}) failed: {e.Message}");
        }
        try
        {
            SeccompProfile.Parse(json);
        }
        catch (BerthException e)
        {
            throw BerthException.Invalid($"failed to start daemon: loading seccomp profile ({setting}) failed: {e.Message}");
        }
        return json;
    }

    /// <summary>/info's SecurityOptions entry: the profile's path, "unconfined", or "builtin".</summary>
    public static string InfoName(string setting) => setting is "" ? "builtin" : setting;
}

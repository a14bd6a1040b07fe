namespace Berth.IntegrationTests.Bundle;

/// <summary>A test that needs root and runc; skipped, with the reason, where either is missing.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public const string Runc = "/usr/sbin/runc";

    public RootFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root";
        else if (!File.Exists(Runc)) Skip = $"needs runc at {Runc}";
    }
}

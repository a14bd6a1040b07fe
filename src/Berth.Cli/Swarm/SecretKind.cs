namespace Berth.Cli.Swarm;

/// <summary>Secrets and configs share their commands; this says which one a command acts on.</summary>
public sealed record SecretKind(string Name, string Resource, bool HasDriver)
{
    public static readonly SecretKind Secret = new("secret", "secrets", true);
    public static readonly SecretKind Config = new("config", "configs", false);
}

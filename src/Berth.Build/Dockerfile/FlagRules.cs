namespace Berth.Build.Dockerfile;

/// <summary>
/// Which flags each instruction takes, checked as docker's classic builder checks them before building. Every flag
/// needs a value; only a repeatable one (RUN's --mount) may be given twice.
/// </summary>
internal static class FlagRules
{
    public static readonly IReadOnlyDictionary<string, bool> None = new Dictionary<string, bool>();

    /// <summary>Flags that may each be given once (the map says, per name, whether it may be repeated).</summary>
    public static IReadOnlyDictionary<string, bool> Of(params string[] names) => names.ToDictionary(n => n, _ => false);

    public static void Check(IReadOnlyList<InstructionFlag> flags, IReadOnlyDictionary<string, bool> allowed)
    {
        var used = new HashSet<string>();
        foreach (var flag in flags)
        {
            if (!allowed.TryGetValue(flag.Name, out bool repeatable)) throw new InstructionRuleException($"Unknown flag: {flag.Name}");
            if (!used.Add(flag.Name) && !repeatable) throw new InstructionRuleException($"Duplicate flag specified: {flag.Name}");
            if (flag.Value is null) throw new InstructionRuleException($"Missing a value on flag: {flag.Name}");
        }
    }
}

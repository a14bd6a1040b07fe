namespace Berth.GoTemplates.Execution;

/// <summary>
/// Go's invalid reflect.Value: what a missing map key evaluates to. It prints as "&lt;no value&gt;",
/// is false, and becomes nil when handed to a function.
/// </summary>
internal sealed class NoValue
{
    public static readonly NoValue Instance = new();

    private NoValue()
    {
    }

    public override string ToString() => "<no value>";
}

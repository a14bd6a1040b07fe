namespace Berth.Client.Contexts;

/// <summary>A context that cannot be found, named or stored; the message is docker's wording.</summary>
public sealed class ContextStoreException(string message, bool notFound = false) : Exception(message)
{
    public bool IsNotFound { get; } = notFound;
}

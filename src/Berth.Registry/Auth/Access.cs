using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Auth;

/// <summary>What a request needs: actions on a resource, as token scopes write it (<c>repository:foo/bar:pull,push</c>).</summary>
public sealed record AccessRequest(string Type, string Name, IReadOnlyList<string> Actions)
{
    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";

    public static AccessRequest Repository(string name, params string[] actions) => new("repository", name, actions);
    public static readonly AccessRequest Catalog = new("registry", "catalog", ["*"]);

    /// <summary>The v1 search API lists the catalog too; Docker's daemon asks for this scope when it searches with a token.</summary>
    public static readonly AccessRequest Search = new("registry", "catalog", ["search"]);
}

/// <summary>The outcome of authorization: who is asking, and what else they may do (e.g. pull from a mount source).</summary>
public sealed class Grant(string? account, Func<string, string, string, bool> allows)
{
    public static readonly Grant Everything = new(null, static (_, _, _) => true);

    public string? Account { get; } = account;

    public bool Allows(string type, string name, string action) => allows(type, name, action);
}

/// <summary>
/// Decides whether a request may go on. Answers a <see cref="Grant"/>, or throws UNAUTHORIZED/DENIED after setting
/// the challenge header on the response.
/// </summary>
public interface IAccessController
{
    ValueTask<Grant> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRequest> needed);
}

public sealed class OpenAccess : IAccessController
{
    public ValueTask<Grant> AuthorizeAsync(HttpContext context, IReadOnlyList<AccessRequest> needed) => ValueTask.FromResult(Grant.Everything);
}

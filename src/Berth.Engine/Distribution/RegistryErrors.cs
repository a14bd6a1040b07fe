using System.Net;
using Berth.Engine.Distribution.Http;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Engine.Distribution;

/// <summary>
/// Turns registry failures into the errors (kind and text) Docker's daemon gives for them, so the CLI prints the same
/// lines: "manifest for x:y not found: manifest unknown: …", "pull access denied for x, repository does not exist or
/// may require 'docker login': …".
/// </summary>
public static class RegistryErrors
{
    public static Exception ForPull(Exception error, ImageReference reference) => error switch
    {
        BerthException => error,
        RegistryException { Code: { } code } e when code.Equals("DENIED", StringComparison.OrdinalIgnoreCase) =>
            BerthException.NotFound($"pull access denied for {reference.FamiliarRepository}, repository does not exist or may require 'docker login': {e.Message}"),
        RegistryException { Code: { } code } e when code.Equals("MANIFEST_UNKNOWN", StringComparison.OrdinalIgnoreCase) =>
            BerthException.NotFound($"manifest for {reference.FamiliarString} not found: {e.Message}"),
        RegistryException { Code: { } code } e when code.Equals("NAME_UNKNOWN", StringComparison.OrdinalIgnoreCase) =>
            BerthException.NotFound($"repository {reference.FamiliarRepository} not found: {e.Message}"),
        RegistryException e => General(e),
        OperationCanceledException => error,
        _ => BerthException.Internal(error.Message, error),
    };

    public static Exception ForPush(Exception error) => error switch
    {
        BerthException or OperationCanceledException => error,
        RegistryException e => General(e),
        _ => BerthException.Internal(error.Message, error),
    };

    private static BerthException General(RegistryException e) => e.Status switch
    {
        HttpStatusCode.Unauthorized => new BerthException(ErrorKind.Unauthorized, e.Message, e),
        HttpStatusCode.Forbidden => new BerthException(ErrorKind.Forbidden, e.Message, e),
        HttpStatusCode.NotFound => new BerthException(ErrorKind.NotFound, e.Message, e),
        _ => new BerthException(ErrorKind.Internal, e.Message, e),
    };
}

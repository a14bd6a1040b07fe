using Berth.Oci.Errors;

namespace Berth.Engine.Runtime.Shim;

/// <summary>Turns the runtime's error text into Berth's error kinds the way Docker does for `docker run`/`start`.</summary>
internal static class ShimErrors
{
    // Docker answers these with 400 and exit codes 126/127 in the CLI: the user's command, not the engine, is wrong.
    private static readonly string[] UserErrors =
    [
        "executable file not found", "no such file or directory", "permission denied", "not a directory", "is a directory",
    ];

    public static BerthException FromRuntime(string message) =>
        Array.Exists(UserErrors, m => message.Contains(m, StringComparison.OrdinalIgnoreCase))
            ? BerthException.Invalid(message)
            : BerthException.Internal(message);
}

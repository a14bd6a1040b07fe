using System.Text.RegularExpressions;
using Berth.Oci.Errors;

namespace Berth.Daemon.Http;

/// <summary>
/// Strips a <c>/v1.NN</c> prefix so every route is served under both forms, and refuses versions outside the
/// range berthd serves with Docker's messages. Also sets the headers Docker puts on every response.
/// </summary>
public static partial class ApiVersionMiddleware
{
    public static IApplicationBuilder UseApiVersions(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.Headers["Api-Version"] = RequestVersion.Current;
        context.Response.Headers["Docker-Experimental"] = "false";
        context.Response.Headers["Ostype"] = "linux";
        context.Response.Headers["Server"] = $"Docker/{DaemonInfo.Version} (linux)";
        var match = VersionPrefix().Match(context.Request.Path.Value ?? "");
        if (match.Success)
        {
            string version = match.Groups[1].Value;
            if (RequestVersion.Compare(version, RequestVersion.Current) > 0)
                throw BerthException.Invalid($"client version {version} is too new. Maximum supported API version is {RequestVersion.Current}");
            if (RequestVersion.Compare(version, RequestVersion.Minimum) < 0)
                throw BerthException.Invalid($"client version {version} is too old. Minimum supported API version is {RequestVersion.Minimum}, please upgrade your client to a newer version");
            context.Items[RequestVersion.ItemKey] = version;
            context.Request.Path = context.Request.Path.Value![match.Length..] is { Length: > 0 } rest ? rest : "/";
        }
        await next(context);
    });

    [GeneratedRegex(@"^/v(\d+\.\d+)(?=/|$)")]
    private static partial Regex VersionPrefix();
}

using Berth.Api;

namespace Berth.Daemon.Http;

/// <summary>The Engine API version of a request: its <c>/v1.NN/</c> prefix, or the current one.</summary>
public static class RequestVersion
{
    public const string Current = ApiVersions.Current;
    public const string Minimum = ApiVersions.Minimum;

    public static int Compare(string a, string b) => ApiVersions.Compare(a, b);

    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? Current;

    public static bool AtLeast(HttpContext context, string version) => Compare(Of(context), version) >= 0;

    public const string ItemKey = "berth.api-version";
}

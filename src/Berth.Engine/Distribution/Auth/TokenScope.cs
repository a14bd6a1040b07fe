namespace Berth.Engine.Distribution.Auth;

/// <summary>Token scopes of the distribution token spec: <c>repository:library/busybox:pull,push</c>.</summary>
public static class TokenScope
{
    public static string Pull(string repository) => $"repository:{repository}:pull";

    public static string PullPush(string repository) => $"repository:{repository}:pull,push";
}

using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>A service's <c>build</c>: a context path alone, or the long form.</summary>
internal static class BuildSyntax
{
    public static BuildConfig? Read(JsonNode? node, string path, ProjectScope scope)
    {
        if (node is null)
            return null;
        if (node is not JsonObject mapping)
            return new BuildConfig { Context = Context(RawNodes.RequiredString(node, path), scope) };

        RawNodes.CheckKeys(mapping, AllowedKeys.Build, path);
        var args = RawNodes.ListOrDict(mapping["args"], $"{path}.args");
        // An argument named without a value takes the shell's, as for environment; it stays unset otherwise.
        foreach (var key in args.Keys.ToList())
            args[key] ??= scope.Context.Lookup(key);
        return new BuildConfig
        {
            Context = Context(RawNodes.String(mapping["context"], $"{path}.context") ?? ".", scope),
            Dockerfile = RawNodes.String(mapping["dockerfile"], $"{path}.dockerfile"),
            DockerfileInline = RawNodes.String(mapping["dockerfile_inline"], $"{path}.dockerfile_inline"),
            Args = args,
            Labels = RawNodes.StringMap(mapping["labels"], $"{path}.labels"),
            Target = RawNodes.String(mapping["target"], $"{path}.target"),
            Network = RawNodes.String(mapping["network"], $"{path}.network"),
            CacheFrom = RawNodes.StringOrList(mapping["cache_from"], $"{path}.cache_from"),
            ExtraHosts = ExtraHosts.Read(mapping["extra_hosts"], $"{path}.extra_hosts"),
            Tags = RawNodes.StringOrList(mapping["tags"], $"{path}.tags"),
            NoCache = RawNodes.Bool(mapping["no_cache"], $"{path}.no_cache") ?? false,
            Pull = RawNodes.Bool(mapping["pull"], $"{path}.pull") ?? false,
            ShmSize = RawNodes.Bytes(mapping["shm_size"], $"{path}.shm_size"),
        };
    }

    /// <summary>URLs (git repositories, tarballs) go to the builder as they are; paths become absolute.</summary>
    private static string Context(string context, ProjectScope scope) =>
        context.Contains("://", StringComparison.Ordinal) || context.StartsWith("git@", StringComparison.Ordinal)
            ? context
            : scope.HostPath(context);
}

using Berth.Client.Contexts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Contexts;

/// <summary><c>context update</c>: a new description and/or a new docker endpoint (which replaces the TLS files too).</summary>
public static class ContextUpdateCommand
{
    public static readonly CommandSpec Spec = new("update", "[OPTIONS] CONTEXT", "Update a context",
    [
        FlagSpec.String("description", null, "Description of the context"),
        FlagSpec.List("docker", null, "set the docker endpoint"),
    ], ArgRule.Exactly(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        if (name == DockerContext.DefaultName)
            throw new CliException($"\"{name}\" is a reserved context name");
        var store = context.Contexts;
        var existing = store.Get(name);
        if (flags.String("description") is { } description)
            existing = existing with { Description = description };
        var endpoint = DockerEndpointFlag.From(flags.List("docker"), context);
        if (endpoint is not null)
            existing = existing with { Host = endpoint.Host, SkipTlsVerify = endpoint.SkipTlsVerify };
        store.Save(existing);
        if (endpoint is not null)
            store.SaveTls(name, endpoint.TlsFiles);
        context.Out.Write(name + "\n");
        context.FlushOut();
        context.Err.Write($"Successfully updated context \"{name}\"\n");
        return Task.FromResult(0);
    }
}

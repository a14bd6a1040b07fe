using Berth.Client.Contexts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Contexts;

/// <summary><c>context create</c>: a new context from --docker, from --from, else from the current context, as docker does.</summary>
public static class ContextCreateCommand
{
    public static readonly CommandSpec Spec = new("create", "[OPTIONS] CONTEXT", "Create a context",
    [
        FlagSpec.String("description", null, "Description of the context"),
        FlagSpec.List("docker", null, "set the docker endpoint"),
        FlagSpec.String("from", null, "create context from a named context"),
    ], ArgRule.Exactly(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        var store = context.Contexts;
        ContextStore.ValidateNewName(name);
        if (store.Exists(name))
            throw new CliException($"context \"{name}\" already exists");

        DockerEndpointFlag endpoint;
        string description;
        var from = flags.String("from");
        if (from is null && flags.List("docker").Count > 0)
        {
            endpoint = DockerEndpointFlag.From(flags.List("docker"), context)!;
            description = "";
        }
        else
        {
            from ??= context.CurrentContextName;
            endpoint = DockerEndpointFlag.Copy(context, from);
            description = from == DockerContext.DefaultName ? DockerContext.DefaultDescription : store.Get(from).Description;
        }
        if (flags.String("description") is { } given)
            description = given;

        store.Save(new DockerContext(name, description, endpoint.Host, endpoint.SkipTlsVerify));
        store.SaveTls(name, endpoint.TlsFiles);
        context.Out.Write(name + "\n");
        context.FlushOut();
        context.Err.Write($"Successfully created context \"{name}\"\n");
        return Task.FromResult(0);
    }
}

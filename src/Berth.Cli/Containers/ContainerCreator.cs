using Berth.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Containers;

/// <summary>
/// The create step shared by run and create: --pull policy, the pull-on-404 hook ("Unable to find image ... locally"),
/// warnings, and --cidfile.
/// </summary>
public static class ContainerCreator
{
    public static async Task<string> CreateAsync(CliContext context, CreateRequest request, bool quietPull)
    {
        if (request.CidFile is { Length: > 0 } cidFile && File.Exists(cidFile))
            throw new InvalidOptionException($"container ID file found, make sure the other container isn't running or delete {cidFile}");
        var client = context.Client;
        if (request.PullPolicy == "always")
            await PullAsync(context, request, quietPull);
        CreatedContainer created;
        try
        {
            created = await client.CreateContainerAsync(request.Body, request.Name, request.Platform, context.Cancellation);
        }
        catch (EngineApiException e) when (e.IsNotFound && request.PullPolicy != "never" && e.Message.Contains("No such image", StringComparison.Ordinal))
        {
            context.Err.Write($"Unable to find image '{ImageReference.Parse(request.Image).Familiar}' locally\n");
            await PullAsync(context, request, quietPull);
            created = await client.CreateContainerAsync(request.Body, request.Name, request.Platform, context.Cancellation);
        }
        foreach (var warning in created.Warnings)
            context.Err.Write($"WARNING: {warning}\n");
        if (request.CidFile is { Length: > 0 } path)
            await File.WriteAllTextAsync(path, created.Id, context.Cancellation);
        return created.Id;
    }

    /// <summary>Pulls through the daemon; progress goes to stderr (stdout is reserved for the container).</summary>
    public static async Task PullAsync(CliContext context, CreateRequest request, bool quiet)
    {
        var reference = ImageReference.Parse(request.Image);
        var tag = reference.Digest ?? reference.Tag;
        string auth = await Registry.RegistryAuthHeader.ForImageAsync(context, request.Image);
        await using var progress = await context.Client.PullImageAsync(reference.Repository, tag, request.Platform, auth, context.Cancellation);
        await JsonMessagePrinter.PrintAsync(progress, context.Err, quiet, context.Cancellation);
    }
}

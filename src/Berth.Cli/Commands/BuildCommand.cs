using Berth.Api.BuildContext.Remote;
using Berth.Client;
using Berth.Cli.Build;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth build</c>: docker's classic builder client (docker CLI 28 with DOCKER_BUILDKIT=0). The context (a directory,
/// stdin, or a git repository or URL fetched by the client) is tarred and streamed to <c>POST /build</c>; the daemon's
/// output is printed as it comes.
/// </summary>
public static class BuildCommand
{
    public static readonly CommandSpec Spec = new("build", "[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile",
        BuildFlags.All, ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        bool quiet = flags.Bool("quiet");
        string? iidFile = flags.String("iidfile") is { Length: > 0 } path ? path : null;
        if (iidFile is not null)
            RemoveStaleIidFile(iidFile);
        // Quiet, docker keeps the progress lines and the daemon's output aside: stdout gets only the image ID, and
        // stderr gets all of it when the build fails.
        TextWriter progressOutput = quiet ? new StringWriter() : context.Out, buildOutput = quiet ? new StringWriter() : context.Out;
        bool terminal = !quiet && NativeTerminal.IsTerminal(1);
        PreparedContext prepared;
        try
        {
            prepared = await ContextSource.PrepareAsync(flags.Positionals[0], flags.String("file"), context.Stdin, progressOutput,
                terminal, context.Cancellation);
        }
        catch (CliException) when (quiet && RemoteContextUrl.IsUrl(flags.Positionals[0]))
        {
            context.Err.WriteLine(progressOutput.ToString()); // docker shows a failed download's progress even when quiet
            throw;
        }
        using var contextFiles = prepared;
        var options = BuildOptionsFactory.From(flags, context.Environment) with { Dockerfile = prepared.Dockerfile };
        string registryConfig = await RegistryConfigHeader.ForBuildAsync(context);
        var upload = new ContextUploadProgress(progressOutput, terminal);
        var printer = new BuildMessagePrinter(buildOutput, terminal);
        try
        {
            await using var messages = await context.Client.BuildImageAsync(options, upload.Around(prepared.Write), registryConfig,
                context.Cancellation);
            await printer.PrintAsync(messages, context.Cancellation);
        }
        catch (BuildFailedException e)
        {
            if (quiet)
                context.Err.Write($"{progressOutput}{buildOutput}");
            throw new CliException(e.Message, e.ExitCode);
        }
        catch (EngineApiException) when (quiet)
        {
            context.Err.Write(progressOutput.ToString());
            throw;
        }
        catch (HttpRequestException e)
        {
            throw SendFailure(e);
        }

        // With -q the daemon's whole answer is the ID line, and docker writes exactly that (newline included) to the file.
        string? imageId = quiet ? buildOutput.ToString() : printer.ImageId;
        if (quiet)
            context.Out.Write(imageId);
        if (iidFile is not null)
        {
            if (string.IsNullOrEmpty(imageId))
                throw new CliException($"Server did not provide an image ID. Cannot write {iidFile}");
            File.WriteAllText(iidFile, imageId);
        }
        return 0;
    }

    /// <summary>docker removes an old --iidfile first, so that a failed build never leaves a stale ID behind.</summary>
    private static void RemoveStaleIidFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Removing image ID file: {e.Message}");
        }
    }

    /// <summary>The context could not be sent: a context file that went away, or a daemon that hung up.</summary>
    private static CliException SendFailure(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is CliException cli)
                return cli;
        }
        return new CliException($"error sending build context: {(e.InnerException ?? e).Message}");
    }
}

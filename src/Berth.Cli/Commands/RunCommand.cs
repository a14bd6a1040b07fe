using Berth.Client;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

public static class RunCommand
{
    public static readonly CommandSpec Spec = new("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image",
        ContainerFlags.Run, ArgRule.AtLeast(1), RunAsync, Interspersed: false);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var detach = flags.Bool("detach");
        CreateRequest request;
        try
        {
            request = CreateRequestBuilder.Build(flags, context.Environment, detach, NativeTerminal.IsTerminal(1), () => NativeTerminal.GetSize(1));
        }
        catch (InvalidOptionException e)
        {
            return RunErrors.Report(context, e.Message, 125);
        }
        if (request.Tty && request.AttachStdin && !NativeTerminal.IsTerminal(0))
            throw new CliException("the input device is not a TTY");

        string id;
        try
        {
            id = await ContainerCreator.CreateAsync(context, request, flags.Bool("quiet"));
        }
        catch (Exception e) when (RunErrors.Describe(e) is { } message)
        {
            return RunErrors.Report(context, message, 125);
        }

        var detachKeys = flags.String("detach-keys");
        if (detach)
        {
            try
            {
                await context.Client.StartContainerAsync(id, detachKeys, context.Cancellation);
            }
            catch (EngineApiException e)
            {
                return RunErrors.Report(context, "Error response from daemon: " + e.Message, RunErrors.StartExitCode(e.Message));
            }
            context.Out.Write(id + "\n");
            return 0;
        }

        var sigProxy = flags.OptionalBool("sig-proxy") ?? true;
        var session = new AttachSession(context, id, request.Tty, request.AttachStdin, request.AttachStdout, request.AttachStderr,
            detachKeys, sigProxy);
        try
        {
            return await session.RunAsync(() => context.Client.StartContainerAsync(id, detachKeys, context.Cancellation),
                waitCondition: null, autoRemove: request.AutoRemove);
        }
        catch (AttachSession.StartFailedException e)
        {
            if (request.AutoRemove)
                await RemoveQuietlyAsync(context, id);
            return RunErrors.Report(context, "Error response from daemon: " + e.Message, RunErrors.StartExitCode(e.Message));
        }
    }

    private static async Task RemoveQuietlyAsync(CliContext context, string id)
    {
        try
        {
            await context.Client.RemoveContainerAsync(id, force: true, volumes: true, link: false, CancellationToken.None);
        }
        catch (EngineApiException)
        {
            // The daemon's auto-remove may already have taken it.
        }
    }
}

using Berth.Client;
using Berth.Cli.Containers;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

public static class CreateCommand
{
    public static readonly CommandSpec Spec = new("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container",
        ContainerFlags.Create, ArgRule.AtLeast(1), RunAsync, Interspersed: false);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        try
        {
            var request = CreateRequestBuilder.Build(flags, context.Environment, detach: false,
                NativeTerminal.IsTerminal(1), () => NativeTerminal.GetSize(1));
            var id = await ContainerCreator.CreateAsync(context, request, flags.Bool("quiet"));
            context.Out.Write(id + "\n");
            return 0;
        }
        catch (Exception e) when (RunErrors.Describe(e) is { } message)
        {
            return RunErrors.Report(context, message, 125);
        }
    }
}

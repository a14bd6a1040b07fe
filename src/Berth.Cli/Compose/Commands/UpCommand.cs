using Berth.Cli.Parsing;
using Berth.Client;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary>
/// <c>berth compose up</c>: create what is missing or changed and start it in dependency order; detached it returns
/// then, attached it prints the containers' logs prefixed with their names until they all exit (or the first, with
/// <c>--abort-on-container-exit</c>), and Ctrl-C stops them.
/// </summary>
public static class UpCommand
{
    public static readonly ComposeCommandSpec Spec = new("up", "[OPTIONS] [SERVICE...]", "Create and start containers",
    [
        .. UpFlags.Shared,
        FlagSpec.Bool("abort-on-container-exit", null, "Stops all containers if any container was stopped. Incompatible with -d"),
        FlagSpec.List("attach", null, "Restrict attaching to the specified services. Incompatible with --attach-dependencies."),
        FlagSpec.Bool("attach-dependencies", null, "Automatically attach to log output of dependent services"),
        FlagSpec.Bool("detach", 'd', "Detached mode: Run containers in the background"),
        FlagSpec.String("exit-code-from", null, "Return the exit code of the selected service container. Implies --abort-on-container-exit"),
        FlagSpec.List("no-attach", null, "Do not attach (stream logs) to the specified services"),
        FlagSpec.Bool("no-color", null, "Produce monochrome output"),
        FlagSpec.Bool("no-deps", null, "Don't start linked services"),
        FlagSpec.Bool("no-log-prefix", null, "Don't print prefix in logs"),
        FlagSpec.Bool("no-start", null, "Don't start the services after creating them"),
        FlagSpec.Bool("renew-anon-volumes", 'V', "Recreate anonymous volumes instead of retrieving data from the previous containers"),
        FlagSpec.Int("timeout", 't', "Use this timeout in seconds for container shutdown when attached or when containers are already running"),
        FlagSpec.Bool("timestamps", null, "Show timestamps"),
        FlagSpec.Bool("wait", null, "Wait for services to be running|healthy. Implies detached mode."),
        FlagSpec.Int("wait-timeout", null, "Maximum duration in seconds to wait for the project to be running|healthy"),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var exitCodeFrom = flags.String("exit-code-from");
        var abort = flags.Bool("abort-on-container-exit") || exitCodeFrom is not null;
        var detach = flags.Bool("detach") || flags.Bool("wait");
        if (detach && abort)
            throw new CliException("--abort-on-container-exit and --detach are incompatible");
        var project = session.Project;
        ServiceSelection.Check(project, flags.Positionals);
        if (exitCodeFrom is not null && !project.Services.ContainsKey(exitCodeFrom))
            throw new CliException($"no such service: {exitCodeFrom}");
        var runner = session.Runner(project);
        var context = session.Context;
        var options = UpFlags.Options(flags, noStart: false);
        await runner.UpAsync(options, context.Cancellation);
        if (detach || options.NoStart)
            return 0;

        var attachTo = AttachedServices(project.Services.Keys, flags);
        var containers = (await runner.ListContainersAsync([.. attachTo], all: true, includeOneOff: false, context.Cancellation))
            .Where(c => attachTo.Contains(c.Service)).ToList();
        var printer = new LogPrinter(context, containers, prefix: !flags.Bool("no-log-prefix"));
        printer.WriteLine("Attaching to " + string.Join(", ", containers.Select(LogPrinter.ShortName)));
        return await FollowAsync(runner, printer, containers, flags, abort, exitCodeFrom, context);
    }

    /// <summary>The services whose logs are shown: those named (all when none is), narrowed by --attach/--no-attach.</summary>
    private static HashSet<string> AttachedServices(IEnumerable<string> all, ParsedFlags flags)
    {
        var services = new HashSet<string>(flags.Positionals.Count > 0 && !flags.Bool("attach-dependencies") ? flags.Positionals : all, StringComparer.Ordinal);
        if (flags.List("attach") is { Count: > 0 } only)
            services.IntersectWith(only);
        services.ExceptWith(flags.List("no-attach"));
        return services;
    }

    private static async Task<int> FollowAsync(ProjectRunner runner, LogPrinter printer, IReadOnlyList<ProjectContainer> containers,
        ParsedFlags flags, bool abort, string? exitCodeFrom, CliContext context)
    {
        // The first Ctrl-C stops the containers gracefully while their last lines are still printed; the followers end
        // as the containers stop. A second one kills them.
        Task? stopping = null;
        var interrupts = 0;
        using var signals = SignalRouting.Intercept(signal =>
        {
            if (Interlocked.Increment(ref interrupts) == 1)
            {
                context.Err.Write("Gracefully stopping... (press Ctrl+C again to force)\n");
                stopping = runner.StopAsync([], (int?)flags.Int("timeout"), CancellationToken.None);
            }
            else
            {
                _ = runner.KillAsync([], null, CancellationToken.None);
            }
        });

        var logOptions = new LogsOptions(Follow: true, Timestamps: flags.Bool("timestamps"));
        var exitCodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var followers = containers.Select(async container =>
        {
            await printer.PrintAsync(container, logOptions, context.Cancellation);
            var state = await context.Client.InspectContainerAsync(container.Id, false, CancellationToken.None);
            var code = state["State"]?["ExitCode"]?.GetValue<int>() ?? 0;
            lock (exitCodes)
                exitCodes[container.Service] = code;
            printer.WriteLine($"{LogPrinter.ShortName(container)} exited with code {code}");
            return (container, code);
        }).ToList();

        var first = -1;
        if (abort && followers.Count > 0)
        {
            var done = await Task.WhenAny(followers);
            first = (await done).code;
            if (stopping is null)
            {
                printer.WriteLine("Aborting on container exit...");
                await runner.StopAsync([], (int?)flags.Int("timeout"), CancellationToken.None);
            }
        }
        await Task.WhenAll(followers);
        if (stopping is not null)
        {
            await stopping;
            return 130;
        }
        if (exitCodeFrom is not null)
            return exitCodes.GetValueOrDefault(exitCodeFrom);
        return abort ? first : 0;
    }
}

using Berth.Cli.Build;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;
using Berth.Compose.Execution;
using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Cli.Compose;

/// <summary>
/// One <c>berth compose</c> invocation: the CLI context, the compose flags, and the project they name, loaded once
/// when a command first asks for it.
/// </summary>
public sealed class ComposeSession(CliContext context, ParsedFlags composeFlags)
{
    private ComposeProject? _project;
    private ProgressPrinter? _progress;

    public CliContext Context => context;

    /// <summary>The compose version recorded in the labels of what berth compose creates.</summary>
    public static string Version => BuildInfo.Version;

    /// <summary>Progress lines go to stderr, as Compose prints them, unless --progress quiet.</summary>
    public ProgressPrinter Progress => _progress ??= new(context.Out, context.Err, composeFlags.String("progress") == "quiet");

    private ProjectOptions ProjectOptions()
    {
        var files = composeFlags.List("file");
        return new ProjectOptions
        {
            ConfigFiles = files,
            StdinText = files.Contains("-") ? new StreamReader(context.Stdin).ReadToEnd() : null,
            ProjectName = composeFlags.String("project-name"),
            ProjectDirectory = composeFlags.String("project-directory"),
            EnvFiles = composeFlags.List("env-file"),
            Profiles = composeFlags.List("profile"),
            Environment = context.Environment,
            CurrentDirectory = Directory.GetCurrentDirectory(),
        };
    }

    public ComposeProject Project => _project ??= ProjectLoader.Load(ProjectOptions());

    /// <summary>
    /// The project to act on for commands that also work without a compose file when -p names the project (down, ps,
    /// logs, stop ... act on the containers labelled with the name): with no file found, an empty project of that name.
    /// </summary>
    public ComposeProject ExistingProject()
    {
        if (composeFlags.String("project-name") is { } name && composeFlags.List("file").Count == 0
            && ConfigFileDiscovery.TryDiscover(Directory.GetCurrentDirectory()) is null)
            return new ComposeProject { Name = name, WorkingDirectory = Directory.GetCurrentDirectory() };
        return Project;
    }

    /// <summary>The running container number <paramref name="index"/> of a service, for exec and port.</summary>
    public async Task<ProjectContainer> RunningContainerAsync(ComposeProject project, string service, long index)
    {
        ServiceSelection.Check(project, [service]);
        var containers = await Runner(project).ListContainersAsync([service], all: false, includeOneOff: false, context.Cancellation);
        return containers.FirstOrDefault(c => c.Number == index)
            ?? throw new CliException(index == 1 ? $"service \"{service}\" is not running" : $"service \"{service}\" is not running container #{index}");
    }

    /// <summary>
    /// Runs one of berth's own commands on containers the compose command has resolved (exec, cp, attach, stats are
    /// docker's commands on a service's container), so both behave the same.
    /// </summary>
    public Task<int> RunBerthCommandAsync(CommandSpec spec, IReadOnlyList<string> args) =>
        spec.Run(context, new FlagSet(spec.Flags, spec.Interspersed).Parse(args));

    /// <summary>The runner for the project, with the logins the docker CLI and berth share for pulls, pushes and builds.</summary>
    public ProjectRunner Runner(ComposeProject project) => new(context.Client, project, Progress, Version)
    {
        PrepareBuildContext = ContextSource.PrepareDirectory,
        Registry = new RegistryAccess
        {
            AuthFor = async (image, _) => await RegistryAuthHeader.ForImageAsync(context, image),
            BuildConfig = _ => RegistryConfigHeader.ForBuildAsync(context),
        },
    };
}

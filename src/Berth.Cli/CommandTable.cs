using Berth.Cli.Commands;

namespace Berth.Cli;

/// <summary>Every command berth knows, top-level and under the container/image/system management commands.</summary>
public static class CommandTable
{
    public static readonly IReadOnlyList<CommandSpec> TopLevel =
    [
        AttachCommand.Spec, BuildCommand.Spec, CommitCommand.Spec, CpCommand.Spec, CreateCommand.Spec, DiffCommand.Spec, EventsCommand.Spec, ExecCommand.Spec,
        ExportCommand.Spec, HistoryCommand.Spec, ImagesCommand.Spec, ImportCommand.Spec, InfoCommand.Spec, InspectCommand.Spec, KillCommand.Spec, LoadCommand.Spec,
        LoginCommand.Spec, LogoutCommand.Spec, LogsCommand.Spec, PauseCommand.Spec, PortCommand.Spec, PsCommand.Spec, PullCommand.Spec, PushCommand.Spec,
        RenameCommand.Spec, RestartCommand.Spec, RmCommand.Spec, RmiCommand.Spec, RunCommand.Spec, SaveCommand.Spec, SearchCommand.Spec,
        StartCommand.Spec, StatsCommand.Spec, StopCommand.Spec, TagCommand.Spec, TopCommand.Spec, PauseCommand.UnpauseSpec, UpdateCommand.Spec, VersionCommand.Spec,
        WaitCommand.Spec,
    ];

    public static readonly IReadOnlyList<CommandGroup> Groups =
    [
        new("container", "Manage containers",
        [
            AttachCommand.Spec, CommitCommand.Spec, CpCommand.Spec, CreateCommand.Spec, DiffCommand.Spec, ExecCommand.Spec, ExportCommand.Spec,
            InspectCommand.ContainerSpec, KillCommand.Spec, PsCommand.ListSpec, LogsCommand.Spec, PauseCommand.Spec, ContainerPruneCommand.Spec, RenameCommand.Spec,
            RestartCommand.Spec, RmCommand.Spec, RunCommand.Spec, StartCommand.Spec, StatsCommand.Spec, StopCommand.Spec, TopCommand.Spec, PauseCommand.UnpauseSpec,
            UpdateCommand.Spec, WaitCommand.Spec,
        ]),
        new("image", "Manage images",
        [
            BuildCommand.Spec, HistoryCommand.Spec, ImportCommand.Spec, InspectCommand.ImageSpec, LoadCommand.Spec, ImagesCommand.ListSpec,
            ImagePruneCommand.Spec, PullCommand.Spec, PushCommand.Spec, RmiCommand.ImageSpec, SaveCommand.Spec, TagCommand.Spec,
        ]),
        new("network", "Manage networks",
        [
            NetworkConnectCommand.ConnectSpec, NetworkCreateCommand.Spec, NetworkConnectCommand.DisconnectSpec,
            NetworkInspectCommand.Spec, NetworkLsCommand.Spec, NetworkPruneCommand.Spec, NetworkRmCommand.Spec,
        ]),
        new("volume", "Manage volumes",
        [
            VolumeCreateCommand.Spec, VolumeInspectCommand.Spec, VolumeLsCommand.Spec, VolumePruneCommand.Spec, VolumeRmCommand.Spec,
        ]),
        new("swarm", "Manage Swarm",
        [
            Swarm.SwarmInitCommand.Spec, Swarm.SwarmJoinCommand.Spec, Swarm.SwarmJoinTokenCommand.Spec, Swarm.SwarmLeaveCommand.Spec,
            Swarm.SwarmUnlockKeyCommand.Spec, Swarm.SwarmUpdateCommand.Spec,
        ]),
        new("node", "Manage Swarm nodes",
        [
            Swarm.NodeUpdateCommand.DemoteSpec, Swarm.NodeInspectCommand.Spec, Swarm.NodeLsCommand.Spec, Swarm.NodeUpdateCommand.PromoteSpec,
            Swarm.NodePsCommand.Spec, Swarm.NodeRmCommand.Spec, Swarm.NodeUpdateCommand.Spec,
        ]),
        new("service", "Manage Swarm services",
        [
            Swarm.ServiceCreateCommand.Spec, Swarm.ServiceInspectCommand.Spec, Swarm.ServiceLogsCommand.Spec, Swarm.ServiceLsCommand.Spec,
            Swarm.ServicePsCommand.Spec, Swarm.ServiceRmCommand.Spec, Swarm.ServiceRollbackCommand.Spec, Swarm.ServiceScaleCommand.Spec,
            Swarm.ServiceUpdateCommand.Spec,
        ]),
        new("stack", "Manage Swarm stacks",
        [
            Stack.StackDeployCommand.Spec, Stack.StackLsCommand.Spec, Stack.StackPsCommand.Spec, Stack.StackRmCommand.Spec,
            Stack.StackServicesCommand.Spec,
        ]),
        new("secret", "Manage Swarm secrets",
        [
            Swarm.SecretCreateCommand.SecretSpec, Swarm.SecretInspectCommand.SecretSpec, Swarm.SecretLsCommand.SecretSpec, Swarm.SecretRmCommand.SecretSpec,
        ]),
        new("config", "Manage Swarm configs",
        [
            Swarm.SecretCreateCommand.ConfigSpec, Swarm.SecretInspectCommand.ConfigSpec, Swarm.SecretLsCommand.ConfigSpec, Swarm.SecretRmCommand.ConfigSpec,
        ]),
        new("plugin", "Manage plugins", PluginCommands.All),
        new("builder", "Manage builds", [BuildCommand.Spec, BuilderPruneCommand.Spec]),
        new("context", "Manage contexts",
        [
            Contexts.ContextCreateCommand.Spec, Contexts.ContextExportCommand.Spec, Contexts.ContextImportCommand.Spec, Contexts.ContextInspectCommand.Spec,
            Contexts.ContextLsCommand.Spec, Contexts.ContextRmCommand.Spec, Contexts.ContextShowCommand.Spec, Contexts.ContextUpdateCommand.Spec,
            Contexts.ContextUseCommand.Spec,
        ]),
        new("system", "Manage Docker",
        [
            SystemDfCommand.Spec, EventsCommand.Spec, InfoCommand.Spec,
        ]),
    ];
}

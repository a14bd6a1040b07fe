namespace Berth.Cli;

/// <summary>A management command (<c>container</c>, <c>image</c>, <c>system</c>) holding subcommands.</summary>
public sealed record CommandGroup(string Name, string Description, IReadOnlyList<CommandSpec> Commands)
{
    public CommandSpec? Find(string name)
        => Commands.FirstOrDefault(c => c.Name == name || (c.Aliases?.Contains(name) ?? false));
}

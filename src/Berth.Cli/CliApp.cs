using Berth.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>Dispatches a command line to its command and turns failures into docker's messages and exit codes.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, Stream stdin, Stream stdout, Stream stderr,
        Func<string, string?> environment, CancellationToken cancellation)
    {
        var errWriter = new StreamWriter(stderr) { AutoFlush = true, NewLine = "\n" };
        ParsedFlags global;
        try
        {
            global = new FlagSet(GlobalOptions.Flags, interspersed: false).Parse(args);
        }
        catch (UsageException e)
        {
            errWriter.Write($"{e.Message}\n\nUsage:  berth [OPTIONS] COMMAND\n\nRun 'berth --help' for more information\n");
            return 125;
        }

        using var context = new CliContext(global, stdin, stdout, stderr, environment, cancellation);
        if (global.Bool("version"))
        {
            context.Out.Write($"Berth version {BuildInfo.Version}, build {BuildInfo.GitCommit}\n");
            return 0;
        }
        if (!string.IsNullOrEmpty(global.String("context")) && global.List("host").Count > 0)
        {
            context.Err.Write(Client.Contexts.ContextResolver.ConflictMessage + "\n");
            return 1;
        }
        var words = global.Positionals;
        // The context commands must work while the current context is broken (that is how it gets fixed), as docker's do.
        if (!(words.Count == 0 || global.HelpRequested || words[0] == "context"))
        {
            try
            {
                _ = context.Host;
            }
            catch (Exception e) when (e is ArgumentException or Client.Contexts.ContextStoreException)
            {
                context.Err.Write($"Failed to initialize: unable to resolve docker endpoint: {e.Message}\n");
                return 1;
            }
        }
        if (words.Count == 0 || global.HelpRequested)
        {
            context.Out.Write(HelpWriter.Root("berth", CommandTable.TopLevel, CommandTable.Groups));
            return 0;
        }

        CommandSpec? spec;
        string path;
        IReadOnlyList<string> rest;
        if (words[0] == DockerCliPlugin.MetadataCommand)
        {
            context.Out.Write(DockerCliPlugin.Metadata());
            return 0;
        }
        if (words[0] == "compose")
            return await Compose.ComposeApp.RunAsync(context, words.Skip(1).ToList());
        var group = CommandTable.Groups.FirstOrDefault(g => g.Name == words[0]);
        if (group is not null)
        {
            if (words.Count == 1 || words[1] is "--help" or "-h")
            {
                context.Out.Write(HelpWriter.Group("berth", group));
                return 0;
            }
            spec = group.Find(words[1]);
            if (spec is null)
            {
                context.Err.Write($"berth: unknown command: berth {group.Name} {words[1]}\n\nUsage:  berth {group.Name}\n\nRun 'berth {group.Name} --help' for more information\n");
                return 1;
            }
            path = $"berth {group.Name} {spec.Name}";
            rest = words.Skip(2).ToList();
        }
        else
        {
            spec = CommandTable.TopLevel.FirstOrDefault(c => c.Name == words[0]);
            if (spec is null)
            {
                context.Err.Write($"berth: unknown command: berth {words[0]}\n\nRun 'berth --help' for more information\n");
                return 1;
            }
            path = $"berth {spec.Name}";
            rest = words.Skip(1).ToList();
        }
        context.CommandPath = path;
        return await RunCommandAsync(context, spec, path, rest);
    }

    private static void TryFlush(CliContext context)
    {
        try
        {
            context.FlushOut();
        }
        catch (IOException)
        {
            // stdout itself is what broke.
        }
    }

    internal static async Task<int> RunCommandAsync(CliContext context, CommandSpec spec, string path, IReadOnlyList<string> args)
    {
        ParsedFlags flags;
        try
        {
            flags = new FlagSet(spec.Flags, spec.Interspersed).Parse(args);
        }
        catch (UsageException e)
        {
            context.Err.Write($"{e.Message}\n\nUsage:  {path} {spec.Usage}\n\nRun '{path} --help' for more information\n");
            return 125;
        }
        if (flags.HelpRequested)
        {
            context.Out.Write(HelpWriter.Command(path, spec));
            return 0;
        }
        if (spec.Args.Check(path, flags.Positionals.Count) is { } problem)
        {
            context.Err.Write($"berth: {problem.Message}\n\nUsage:  {path} {spec.Usage}\n\n{problem.Verb} '{path} --help' for more information\n");
            return 1;
        }
        try
        {
            return await spec.Run(context, flags);
        }
        catch (UsageException e)
        {
            context.FlushOut();
            context.Err.Write($"{e.Message}\n\nUsage:  {path} {spec.Usage}\n\nRun '{path} --help' for more information\n");
            return 125;
        }
        catch (EngineApiException e)
        {
            context.FlushOut();
            context.Err.Write($"Error response from daemon: {e.Message}\n");
            return 1;
        }
        catch (DaemonUnreachableException e)
        {
            context.FlushOut();
            context.Err.Write(e.Message + "\n");
            return 1;
        }
        catch (Berth.Compose.ComposeException e)
        {
            context.FlushOut();
            context.Err.Write(e.Message + "\n");
            return e.ExitCode;
        }
        catch (Client.Contexts.ContextStoreException e)
        {
            context.FlushOut();
            context.Err.Write(e.Message + "\n");
            return 1;
        }
        catch (CliException e)
        {
            context.FlushOut();
            if (e.Message.Length > 0)
                context.Err.Write(e.Message + "\n");
            return e.ExitCode;
        }
        catch (TemplateParseException e)
        {
            context.FlushOut();
            context.Err.Write($"template parsing error: {e.Message}\n");
            return 64;
        }
        catch (TemplateExecutionException e)
        {
            context.FlushOut();
            context.Err.Write($"{e.Message}\n");
            return 1;
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            context.FlushOut();
            return 130;
        }
        catch (IOException e)
        {
            // A stream to the daemon or to our own stdout broke mid-way.
            TryFlush(context);
            context.Err.Write($"{context.ProgramName}: {e.Message}\n");
            return 1;
        }
    }
}

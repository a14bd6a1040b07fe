using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Client;
using Berth.Client.Http;

namespace Berth.Cli.Swarm;

/// <summary><c>service ps</c>: services matched by full ID, full name, then ID prefix; their tasks in docker's task table.</summary>
public static class ServicePsCommand
{
    public static readonly CommandSpec Spec = new("ps", "[OPTIONS] SERVICE [SERVICE...]", "List the tasks of one or more services",
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Pretty-print tasks using a Go template"),
        FlagSpec.Bool("no-resolve", null, "Do not map IDs to Names"),
        FlagSpec.Bool("no-trunc", null, "Do not truncate output"),
        FlagSpec.Bool("quiet", 'q', "Only display task IDs"),
    ], ArgRule.AtLeast(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var filter = FilterFlag.From(flags);
        var byId = new Filters();
        var byName = new Filters();
        foreach (var service in flags.Positionals)
        {
            byId.Add("id", service);
            byName.Add("name", service);
        }
        var idMatches = await context.Client.ListServicesAsync(byId, false, context.Cancellation);
        var nameMatches = await context.Client.ListServicesAsync(byName, false, context.Cancellation);
        var notFound = new List<string>();
        var count = 0;
        foreach (var service in flags.Positionals)
        {
            if (idMatches.FirstOrDefault(s => s.ID == service) is { } exact)
            {
                filter.Add("service", exact.ID);
                count++;
                continue;
            }
            if (nameMatches.FirstOrDefault(s => s.Spec.Str("Name") == service) is { } named)
            {
                filter.Add("service", named.ID);
                count++;
                continue;
            }
            var prefixed = idMatches.Where(s => s.ID.StartsWith(service, StringComparison.Ordinal)).ToList();
            if (prefixed.Count > 1)
                throw new CliException("multiple services found with provided prefix: " + service);
            if (prefixed.Count == 0)
            {
                notFound.Add("no such service: " + service);
                continue;
            }
            filter.Add("service", prefixed[0].ID);
            count++;
        }
        if (count == 0)
            throw new CliException(string.Join('\n', notFound));
        var tasks = await context.Client.ListTasksAsync(filter, context.Cancellation);
        var quiet = flags.Bool("quiet");
        await TaskTable.WriteAsync(context, tasks, flags.String("format"), quiet, !flags.Bool("no-trunc") && !quiet, flags.Bool("no-resolve"));
        if (notFound.Count > 0)
            throw new CliException(string.Join('\n', notFound));
        return 0;
    }
}

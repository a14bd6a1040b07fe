using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>One line of docker diff: Kind 0 changed, 1 added, 2 deleted.</summary>
public sealed record ContainerChangeItem(string Path, int Kind);

/// <summary>The options of <c>POST /commit</c>.</summary>
public sealed record CommitOptions(string? Repository, string? Tag, string? Author, string? Message, IReadOnlyList<string> Changes, bool Pause);

public sealed partial class EngineClient
{
    public async Task<IReadOnlyList<ContainerChangeItem>> ContainerChangesAsync(string id, CancellationToken cancellationToken)
    {
        var answer = await GetJsonAsync($"/containers/{Escape(id)}/changes", null, cancellationToken);
        return answer is JsonArray items
            ? items.Select(item => new ContainerChangeItem(item.Str("Path"), (int)item.Long("Kind"))).ToList()
            : [];
    }

    public async Task<string> CommitContainerAsync(string id, CommitOptions options, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("container", id).AddIfNotEmpty("repo", options.Repository).AddIfNotEmpty("tag", options.Tag)
            .AddIfNotEmpty("author", options.Author).AddIfNotEmpty("comment", options.Message).Add("pause", options.Pause ? "1" : "0");
        foreach (var change in options.Changes) query.Add("changes", change);
        var answer = await PostJsonAsync("/commit", query, null, cancellationToken);
        return answer.Str("Id");
    }

    public async Task PauseContainerAsync(string id, CancellationToken cancellationToken)
        => await PostJsonAsync($"/containers/{Escape(id)}/pause", null, null, cancellationToken);

    public async Task UnpauseContainerAsync(string id, CancellationToken cancellationToken)
        => await PostJsonAsync($"/containers/{Escape(id)}/unpause", null, null, cancellationToken);

    /// <summary>GET /containers/{id}/top: the column titles and one row per process.</summary>
    public async Task<(IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Processes)> TopAsync(string id, string? psArgs, CancellationToken cancellationToken)
    {
        var answer = await GetJsonAsync($"/containers/{Escape(id)}/top", new QueryString().AddIfNotEmpty("ps_args", psArgs), cancellationToken);
        var processes = answer.Arr("Processes")?.Select(row => (IReadOnlyList<string>)(row as JsonArray ?? []).Select(cell => cell?.GetValue<string>() ?? "").ToList()).ToList() ?? [];
        return (answer.Strings("Titles"), processes);
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Client.Http;
using Berth.Client.Streams;

namespace Berth.Client;

public sealed partial class EngineClient
{
    /// <summary>One reading of GET /containers/{id}/stats?stream=false (with precpu_stats unless <paramref name="oneShot"/>).</summary>
    public async Task<ContainerStats> ContainerStatsAsync(string id, bool oneShot, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("stream", "0");
        if (oneShot)
            query.Add("one-shot", true);
        var bytes = await GetBytesAsync($"/containers/{Escape(id)}/stats", query, cancellationToken);
        return JsonSerializer.Deserialize(bytes, ApiJson.Context.ContainerStats)
               ?? throw new InvalidDataException($"container \"{id}\": the daemon sent no stats");
    }

    /// <summary>GET /containers/{id}/stats?stream=true: a reading about every second until cancelled or the daemon ends the stream.</summary>
    public async IAsyncEnumerable<ContainerStats> StreamContainerStatsAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/containers/{Escape(id)}/stats", new QueryString().Add("stream", true), null, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var message in JsonMessageReader.ReadAllAsync(body, cancellationToken))
        {
            if (message.Deserialize(ApiJson.Context.ContainerStats) is { } stats)
                yield return stats;
        }
    }

    /// <summary>POST /containers/{id}/update with a Resources + RestartPolicy body; the daemon's warnings.</summary>
    public async Task<IReadOnlyList<string>> UpdateContainerAsync(string id, JsonObject body, CancellationToken cancellationToken)
    {
        var answer = await PostJsonAsync($"/containers/{Escape(id)}/update", null, body, cancellationToken);
        return answer.Strings("Warnings");
    }
}

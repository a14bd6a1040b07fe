using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Hijack;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>Exec: <c>POST /containers/{id}/exec</c>, <c>/exec/{id}/start|resize</c>, <c>GET /exec/{id}/json</c>.</summary>
public sealed partial class EngineClient
{
    /// <summary>Creates an exec instance from Docker's ExecConfig body; returns its id.</summary>
    public async Task<string> CreateExecAsync(string container, JsonObject config, CancellationToken cancellationToken)
    {
        var answer = await PostJsonAsync($"/containers/{Escape(container)}/exec", null, config, cancellationToken);
        return answer.Str("Id");
    }

    /// <summary>Starts an exec attached: the hijacked connection carries its stdio (raw with a TTY, multiplexed otherwise).</summary>
    public Task<HijackedConnection> StartExecAttachedAsync(string execId, bool tty, (int Rows, int Columns)? consoleSize, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["Detach"] = false, ["Tty"] = tty };
        if (consoleSize is { } size) body["ConsoleSize"] = new JsonArray(size.Rows, size.Columns);
        return HijackAsync($"/exec/{Escape(execId)}/start", null, body, cancellationToken);
    }

    public async Task StartExecDetachedAsync(string execId, bool tty, CancellationToken cancellationToken) =>
        await PostJsonAsync($"/exec/{Escape(execId)}/start", null, new JsonObject { ["Detach"] = true, ["Tty"] = tty }, cancellationToken);

    public async Task ResizeExecAsync(string execId, int height, int width, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("h", height.ToString(CultureInfo.InvariantCulture)).Add("w", width.ToString(CultureInfo.InvariantCulture));
        await PostJsonAsync($"/exec/{Escape(execId)}/resize", query, null, cancellationToken);
    }

    public async Task<JsonObject> InspectExecAsync(string execId, CancellationToken cancellationToken) =>
        (await GetJsonAsync($"/exec/{Escape(execId)}/json", null, cancellationToken)) as JsonObject
        ?? throw new EngineApiException(System.Net.HttpStatusCode.InternalServerError, "invalid exec inspect answer");
}

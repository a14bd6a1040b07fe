using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// Waits, before a service starts, for the conditions of its depends_on: started, healthy, or completed successfully.
/// </summary>
internal sealed class DependencyWaiter(EngineClient client, ComposeProject project, IComposeProgress progress)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task WaitAsync(ServiceConfig service, Func<string, Task<IReadOnlyList<ProjectContainer>>> containersOf, CancellationToken ct)
    {
        foreach (var (name, dependency) in service.DependsOn)
        {
            if (!project.Services.ContainsKey(name))
            {
                if (dependency.Required)
                    throw new ComposeException($"service \"{service.Name}\" depends on undefined service \"{name}\"");
                continue;
            }
            if (dependency.Condition == "service_started")
                continue;
            foreach (var container in await containersOf(name))
            {
                progress.Report("Container", container.Name, "Waiting");
                if (dependency.Condition == "service_healthy")
                    await WaitHealthyAsync(container.Id, container.Name, ct);
                else if (dependency.Condition == "service_completed_successfully")
                    await WaitCompletedAsync(container.Id, container.Name, name, ct);
            }
        }
    }

    public async Task WaitHealthyAsync(string id, string name, CancellationToken ct)
    {
        while (true)
        {
            var state = (await client.InspectContainerAsync(id, false, ct)).Obj("State");
            var health = state.Obj("Health");
            if (health is null)
                throw new ComposeException($"container {name} has no healthcheck configured");
            switch (health.Str("Status"))
            {
                case "healthy":
                    progress.Report("Container", name, "Healthy");
                    return;
                case "unhealthy":
                    progress.Report("Container", name, "Error");
                    throw new ComposeException($"dependency failed to start: container {name} is unhealthy");
            }
            if (state.Str("Status") is "exited" or "dead")
            {
                progress.Report("Container", name, "Error");
                throw new ComposeException($"dependency failed to start: container {name} exited ({state.Long("ExitCode")})");
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    private async Task WaitCompletedAsync(string id, string name, string service, CancellationToken ct)
    {
        while (true)
        {
            var state = (await client.InspectContainerAsync(id, false, ct)).Obj("State");
            if (state.Str("Status") is "exited" or "dead")
            {
                long exitCode = state.Long("ExitCode");
                if (exitCode != 0)
                {
                    progress.Report("Container", name, "Error");
                    throw new ComposeException($"service \"{service}\" didn't complete successfully: exit {exitCode}");
                }
                progress.Report("Container", name, "Exited");
                return;
            }
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <summary>Whether the container has a health check to wait for (up --wait).</summary>
    public static bool HasHealthCheck(JsonObject inspect) => inspect.Obj("State").Obj("Health") is not null;
}

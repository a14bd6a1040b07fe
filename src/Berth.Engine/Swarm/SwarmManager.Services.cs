using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

public sealed partial class SwarmManager
{
    private const int FirstMeshPort = 30000;
    private const int LastMeshPort = 32767;
    private readonly Lock _serviceGate = new();

    public IReadOnlyList<SwarmService> ListServices()
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        return [.. _store.Services.OrderBy(s => s.CreatedAt, StringComparer.Ordinal)];
    }

    /// <summary>A service by full ID, then name, then unique ID prefix (Docker's order).</summary>
    public SwarmService GetService(string idOrName)
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        var services = _store.Services;
        var found = services.FirstOrDefault(s => s.ID == idOrName)
            ?? services.FirstOrDefault(s => ServiceSpecs.Name(s.Spec) == idOrName);
        if (found is not null) return found;
        var byPrefix = idOrName.Length == 0 ? [] : services.Where(s => s.ID.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
        if (byPrefix.Count == 1) return byPrefix[0];
        if (byPrefix.Count > 1) throw BerthException.Invalid($"service {idOrName} is ambiguous ({byPrefix.Count} matches found)");
        throw BerthException.NotFound($"service {idOrName} not found");
    }

    public SwarmService CreateService(JsonObject requested)
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        var spec = ServiceSpecs.Normalize(requested, () => NameGenerator.Generate(0));
        TaskNetworks.Resolve(spec, Orchestrator.Networks);
        CheckSecretReferences(spec);
        _ = PlacementConstraint.Of(ServiceSpecs.TaskTemplate(spec));
        lock (_serviceGate)
        {
            string name = ServiceSpecs.Name(spec);
            if (_store.Services.Any(s => ServiceSpecs.Name(s.Spec) == name)) throw SwarmErrors.NameConflict("service", name);
            var service = new SwarmService { ID = SwarmIds.NewId(), Spec = spec };
            if (ServiceSpecs.IsJob(spec)) service.JobStatus = new ServiceJobStatus { LastExecution = ApiTime.Format(DateTimeOffset.UtcNow) };
            service.Endpoint = EndpointOf(service.ID, spec, previous: null);
            service = _store.AddService(service);
            _events.Publish("service", "create", service.ID, new Dictionary<string, string> { ["name"] = name });
            Orchestrator.Kick();
            return service;
        }
    }

    /// <summary>POST /services/{id}/update: a new spec at the version it was read at; rollback goes back to the previous spec.</summary>
    public void UpdateService(string idOrName, ulong version, JsonObject? requested, bool rollback)
    {
        lock (_serviceGate)
        {
            var service = GetService(idOrName);
            if (service.Version.Index != version) throw OutOfSequence();
            JsonObject spec;
            if (rollback)
            {
                if (service.PreviousSpec is null) throw BerthException.Invalid("rpc error: code = FailedPrecondition desc = service " + service.ID + " does not have a previous spec");
                spec = service.PreviousSpec;
            }
            else
            {
                spec = ServiceSpecs.Normalize(requested ?? throw BerthException.Invalid("service spec missing"), () => ServiceSpecs.Name(service.Spec));
                TaskNetworks.Resolve(spec, Orchestrator.Networks);
            }
            CheckSecretReferences(spec);
            _ = PlacementConstraint.Of(ServiceSpecs.TaskTemplate(spec));
            string name = ServiceSpecs.Name(spec);
            if (ServiceSpecs.ModeName(spec) != ServiceSpecs.ModeName(service.Spec))
                throw BerthException.NotImplemented("rpc error: code = Unimplemented desc = service mode change is not allowed");
            if (name != ServiceSpecs.Name(service.Spec)) throw SwarmErrors.Invalid("renaming services is not supported");
            bool tasksChange = !JsonNode.DeepEquals(ServiceSpecs.TaskTemplate(spec), ServiceSpecs.TaskTemplate(service.Spec));
            bool job = ServiceSpecs.IsJob(spec);
            var endpoint = EndpointOf(service.ID, spec, service.Endpoint);
            _store.EditService(service, s =>
            {
                s.PreviousSpec = s.Spec;
                s.Spec = spec;
                s.Endpoint = endpoint;
                if (job)
                {
                    // Any update of a job runs it again: a new iteration, whose tasks start afresh (the old ones stay as history).
                    s.JobStatus = new ServiceJobStatus
                    {
                        JobIteration = new ObjectVersion { Index = (s.JobStatus?.JobIteration.Index ?? 0) + 1 },
                        LastExecution = ApiTime.Format(DateTimeOffset.UtcNow),
                    };
                    // Jobs have no rolling update to report; a rollback is still announced as swarm does.
                    s.UpdateStatus = rollback
                        ? new ServiceUpdateStatus { State = "rollback_started", StartedAt = ApiTime.Format(DateTimeOffset.UtcNow), Message = "manually requested rollback" }
                        : null;
                }
                else if (tasksChange)
                {
                    s.UpdateStatus = new ServiceUpdateStatus
                    {
                        State = rollback ? "rollback_started" : "updating",
                        StartedAt = ApiTime.Format(DateTimeOffset.UtcNow),
                        Message = rollback ? "manually requested rollback" : "update in progress",
                    };
                }
            });
            _events.Publish("service", "update", service.ID, new Dictionary<string, string> { ["name"] = name });
            Orchestrator.Kick();
        }
    }

    /// <summary>Removes a service at once; its tasks stop gracefully and go with the orchestrator's next pass, as in Docker.</summary>
    public void RemoveService(string idOrName)
    {
        var service = GetService(idOrName);
        lock (_serviceGate) _store.RemoveService(service.ID);
        _events.Publish("service", "remove", service.ID, new Dictionary<string, string> { ["name"] = ServiceSpecs.Name(service.Spec) });
        Orchestrator.Kick();
    }

    /// <summary>Running and desired task counts, as GET /services?status=true reports them.</summary>
    public ServiceStatus StatusOf(SwarmService service)
    {
        if (service.JobStatus is { } job) return JobStatusOf(service, job.JobIteration.Index);
        var tasks = _store.Tasks.Where(t => t.ServiceID == service.ID && t.DesiredState == "running").ToList();
        return new ServiceStatus
        {
            RunningTasks = (ulong)tasks.Count(t => t.Status.State == "running"),
            // A global service wants one task per node that runs it: the tasks it has that should run.
            DesiredTasks = (ulong)(ServiceSpecs.IsGlobal(service.Spec) ? tasks.Count : ServiceSpecs.Replicas(service.Spec)),
        };
    }

    /// <summary>
    /// A job's counts, as swarm gives them: only the current iteration's tasks count; a replicated job desires
    /// MaxConcurrent tasks, a global job each task that has yet to complete.
    /// </summary>
    private ServiceStatus JobStatusOf(SwarmService service, ulong iteration)
    {
        var tasks = _store.Tasks.Where(t => t.ServiceID == service.ID && t.JobIteration?.Index == iteration).ToList();
        return new ServiceStatus
        {
            RunningTasks = (ulong)tasks.Count(t => t.Status.State == "running"),
            CompletedTasks = (ulong)tasks.Count(t => t.Status.State == "complete"),
            DesiredTasks = ServiceSpecs.IsGlobalJob(service.Spec)
                ? (ulong)tasks.Count(t => t.DesiredState == "complete" && t.Status.State != "complete")
                : (ulong)ServiceSpecs.JobCounts(service.Spec).MaxConcurrent,
        };
    }

    /// <summary>The endpoint's resolved ports: ingress ports without a published port get one from swarm's range.</summary>
    private ServiceEndpoint EndpointOf(string serviceId, JsonObject spec, ServiceEndpoint? previous)
    {
        var taken = _store.Services.Where(s => s.ID != serviceId)
            .SelectMany(s => (s.Endpoint.Ports ?? []).Select(p => (Port: p.PublishedPort, Service: s)))
            .ToList();
        var ports = new List<EndpointPortConfig>();
        foreach (var (protocol, target, published, mode) in ServiceSpecs.Ports(spec))
        {
            uint port = (uint)published;
            if (port == 0 && mode == "ingress")
            {
                port = previous?.Ports?.FirstOrDefault(p => p.TargetPort == target && p.Protocol == protocol && p.PublishMode == mode)?.PublishedPort
                    ?? 0;
                for (uint candidate = FirstMeshPort; port == 0 && candidate <= LastMeshPort; candidate++)
                    if (taken.All(t => t.Port != candidate) && ports.All(p => p.PublishedPort != candidate)) port = candidate;
            }
            if (port != 0 && taken.FirstOrDefault(t => t.Port == port) is { Service: { } other } && mode == "ingress")
                throw SwarmErrors.Invalid($"port '{port}' is already in use by service '{ServiceSpecs.Name(other.Spec)}' ({other.ID}) as an ingress port");
            ports.Add(new EndpointPortConfig { Protocol = protocol, TargetPort = (uint)target, PublishedPort = port, PublishMode = mode });
        }
        return new ServiceEndpoint
        {
            Spec = (JsonObject)spec["EndpointSpec"]!.DeepClone(),
            Ports = ports.Count == 0 ? null : ports,
        };
    }
}

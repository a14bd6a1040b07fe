using System.Text.Json.Nodes;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>Secrets and configs: swarm objects holding data that services' tasks get as files.</summary>
public sealed partial class SwarmManager
{
    private readonly Lock _secretGate = new();

    /// <summary>Every secret or config as clients see it (a secret without its data), in ID order as swarm's store keeps them.</summary>
    public IReadOnlyList<SwarmSecret> ListSecrets(SwarmObjectKind kind)
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        return [.. _store.Secrets(kind).OrderBy(s => s.ID, StringComparer.Ordinal).Select(s => SwarmSecrets.View(kind, s))];
    }

    public SwarmSecret GetSecret(SwarmObjectKind kind, string idOrName) => SwarmSecrets.View(kind, FindSecret(kind, idOrName));

    public string CreateSecret(SwarmObjectKind kind, JsonObject requested)
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        var spec = SwarmSecrets.Normalize(kind, requested);
        string name = SwarmSecrets.NameOf(new SwarmSecret { Spec = spec });
        lock (_secretGate)
        {
            // swarm's name index ignores case: "S1" and "s1" are the same name.
            if (_store.Secrets(kind).Any(s => string.Equals(SwarmSecrets.NameOf(s), name, StringComparison.OrdinalIgnoreCase)))
                throw BerthException.Conflict($"rpc error: code = AlreadyExists desc = {SwarmSecrets.Word(kind)} {name} already exists");
            var created = _store.AddSecret(kind, new SwarmSecret { ID = SwarmIds.NewId(), Spec = spec });
            Publish(kind, "create", created);
            return created.ID;
        }
    }

    /// <summary>POST /secrets/{id}/update: new labels at the version they were read at; nothing else may change.</summary>
    public void UpdateSecret(SwarmObjectKind kind, string idOrName, ulong version, JsonObject requested)
    {
        lock (_secretGate)
        {
            var current = FindSecret(kind, idOrName);
            var spec = SwarmSecrets.Update(current.Spec, requested);
            if (current.Version.Index != version) throw OutOfSequence();
            var updated = _store.EditSecret(kind, current, s => s.Spec = spec);
            Publish(kind, "update", updated);
        }
    }

    /// <summary>DELETE /secrets/{id}: refused while a service's spec refers to it.</summary>
    public void RemoveSecret(SwarmObjectKind kind, string idOrName)
    {
        lock (_secretGate)
        {
            var item = FindSecret(kind, idOrName);
            var users = _store.Services.Where(s => SecretReferences.Read(kind, ServiceSpecs.ContainerSpec(ServiceSpecs.TaskTemplate(s.Spec))).Any(r => r.Id == item.ID))
                .Select(s => ServiceSpecs.Name(s.Spec)).ToList();
            if (users.Count > 0)
                throw SwarmErrors.Invalid($"{SwarmSecrets.Word(kind)} '{SwarmSecrets.NameOf(item)}' is in use by the following service{(users.Count > 1 ? "s" : "")}: {string.Join(", ", users)}");
            _store.RemoveSecret(kind, item.ID);
            Publish(kind, "remove", item);
        }
    }

    /// <summary>
    /// A service spec's secret and config references, checked as swarmkit checks them: well formed, distinct targets,
    /// and each naming an object that exists under that ID and name.
    /// </summary>
    internal void CheckSecretReferences(JsonObject serviceSpec)
    {
        var container = ServiceSpecs.ContainerSpec(ServiceSpecs.TaskTemplate(serviceSpec));
        var checks = new[] { SwarmObjectKind.Secret, SwarmObjectKind.Config }.Select(kind => (kind, References: SecretReferences.Read(kind, container))).ToList();
        foreach (var (kind, references) in checks)
        {
            var missing = references.Where(r => _store.TryGetSecret(kind, r.Id) is not { } found || SwarmSecrets.NameOf(found) != r.Name)
                .Select(r => r.Name).ToList();
            if (missing.Count > 0)
                throw SwarmErrors.Invalid($"{SwarmSecrets.Word(kind)}{(missing.Count > 1 ? "s" : "")} not found: {string.Join(", ", missing)}");
        }
    }

    /// <summary>By full ID, then name (in any case), then unique ID prefix, as dockerd looks swarm objects up.</summary>
    private SwarmSecret FindSecret(SwarmObjectKind kind, string idOrName)
    {
        if (!_store.Active) throw SwarmErrors.NotManager();
        var all = _store.Secrets(kind);
        var found = all.FirstOrDefault(s => s.ID == idOrName)
            ?? all.FirstOrDefault(s => string.Equals(SwarmSecrets.NameOf(s), idOrName, StringComparison.OrdinalIgnoreCase));
        if (found is not null) return found;
        var byPrefix = idOrName.Length == 0 ? [] : all.Where(s => s.ID.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
        if (byPrefix.Count == 1) return byPrefix[0];
        string word = SwarmSecrets.Word(kind);
        if (byPrefix.Count > 1) throw BerthException.Invalid($"{word} {idOrName} is ambiguous ({byPrefix.Count} matches found)");
        throw BerthException.NotFound($"{word} {idOrName} not found");
    }

    private void Publish(SwarmObjectKind kind, string action, SwarmSecret item) =>
        _events.Publish(SwarmSecrets.Word(kind), action, item.ID, new Dictionary<string, string> { ["name"] = SwarmSecrets.NameOf(item) });
}

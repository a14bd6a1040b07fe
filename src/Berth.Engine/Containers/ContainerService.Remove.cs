using Berth.Engine.Runtime.Mounts;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Removes a container and all its state (log, writable layer, bundle). Running: 409 unless forced.</summary>
    public async Task RemoveAsync(string idOrName, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        using var timing = Metrics.ContainerActions.Time("delete");
        var container = _store.Get(idOrName);
        var runtime = RuntimeOf(container.Id);
        if (container.State.Restarting && force) await CancelRestartLockedAsync(container, cancellationToken);
        if (container.State.Running)
        {
            if (!force)
            {
                string what = container.State.Paused ? "paused" : "running";
                throw BerthException.Conflict($"You cannot remove a {what} container {container.Id}. Stop the container before attempting removal or force remove");
            }
            // Marked first, so the exit the kill causes is not taken for a crash that the restart policy answers, and
            // (as Docker marks it) removal in progress, so that exit is not written to disk only to be deleted with the
            // record a moment later. A crash in between leaves the record as it was: the next daemon finds the exit.
            container.HasBeenManuallyStopped = true;
            container.State.RemovalInProgress = true;
            try
            {
                await StopLockedAsync(container, 9, -1, cancellationToken);
            }
            catch
            {
                container.State.RemovalInProgress = false;
                throw;
            }
        }
        await runtime.Lock.WaitAsync(cancellationToken);
        try
        {
            if (container.State.RemovalInProgress && _store.TryGet(container.Id) is null) return;
            if (container.State.Running) throw BerthException.Conflict($"container {container.Id} started again while being removed");
            container.State.RemovalInProgress = true;
            await DiscardPreparedStartLockedAsync(runtime);
            if (Networking is not null) await TearDownNetworkAsync(container);
            UnmountSharedShm(container);
            OverlayMount.Unmount(RootfsOf(container));
            string bundle = _paths.BundleOf(container.Id);
            if (Directory.Exists(bundle)) Directory.Delete(bundle, recursive: true);
            _store.Remove(container);
            _runtime.TryRemove(container.Id, out _);
            RemoveExecsOf(container.Id);
        }
        finally
        {
            runtime.Lock.Release();
        }
        Publish(container, "destroy");
        if (removeVolumes && Volumes is not null) await Volumes.RemoveAnonymousAsync(container, CancellationToken.None); // the container is gone: its volumes go too
        runtime.Removed.TrySetResult(container.State.ExitCode);
    }

    public void Rename(string idOrName, string newName)
    {
        var container = _store.Get(idOrName);
        if (string.IsNullOrEmpty(newName)) throw BerthException.Invalid("Neither old nor new names may be empty");
        if (!NameGenerator.IsValid(newName))
            throw BerthException.Invalid($"Invalid container name ({newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        string full = newName.StartsWith('/') ? newName : "/" + newName;
        if (full == container.Name) throw BerthException.Invalid("Renaming a container with the same name as its current name");
        string oldName = container.Name;
        _store.Rename(container, full);
        Publish(container, "rename", new Dictionary<string, string> { ["oldName"] = oldName });
    }

    /// <summary>Removes every stopped container matching <paramref name="filter"/>; returns their IDs.</summary>
    public async Task<List<string>> PruneAsync(Func<ContainerRecord, bool> filter, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var container in _store.List().Where(c => !c.State.Running && filter(c)))
        {
            try
            {
                await RemoveAsync(container.Id, force: false, removeVolumes: false, cancellationToken);
                removed.Add(container.Id);
            }
            catch (BerthException)
            {
                // Started again meanwhile: not prunable any more.
            }
        }
        return removed;
    }
}

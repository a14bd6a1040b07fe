using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Http;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>Creates the project's named volumes that are missing, and checks the external ones exist.</summary>
internal sealed class VolumeEnsurer(EngineClient client, ComposeProject project, IComposeProgress progress, string composeVersion)
{
    public async Task EnsureAsync(CancellationToken ct)
    {
        foreach (var (key, volume) in project.Volumes)
        {
            var existing = await FindAsync(volume.Name, ct);
            if (volume.External)
            {
                if (existing is null)
                    throw new ComposeException($"external volume \"{volume.Name}\" not found");
                continue;
            }
            if (existing is not null)
            {
                // Compose only warns here: a volume holds data, and refusing would leave the user stuck.
                if (existing.Obj("Labels").Str(ComposeLabels.Project) != project.Name)
                    progress.Warn($"volume \"{volume.Name}\" already exists but was not created by Docker Compose. Use `external: true` to use an existing volume");
                continue;
            }
            progress.Report("Volume", $"\"{volume.Name}\"", "Creating");
            var body = new JsonObject
            {
                ["Name"] = volume.Name,
                ["Labels"] = MountMapping.StringMap(ComposeLabels.ForVolume(project.Name, key, volume, composeVersion)),
            };
            if (volume.Driver is { Length: > 0 } driver)
                body["Driver"] = driver;
            if (volume.DriverOpts.Count > 0)
                body["DriverOpts"] = MountMapping.StringMap(volume.DriverOpts);
            await client.CreateVolumeAsync(body, ct);
            progress.Report("Volume", $"\"{volume.Name}\"", "Created");
        }
    }

    private async Task<JsonObject?> FindAsync(string name, CancellationToken ct)
    {
        var list = await client.ListVolumesAsync(new Filters().Add("name", name), ct);
        return list.OfType<JsonObject>().FirstOrDefault(v => v.Str("Name") == name);
    }

    /// <summary>Removes the project's own named volumes (down -v).</summary>
    public async Task RemoveAsync(CancellationToken ct)
    {
        foreach (var volume in project.Volumes.Values.Where(v => !v.External))
        {
            var existing = await FindAsync(volume.Name, ct);
            if (existing is null || existing.Obj("Labels").Str(ComposeLabels.Project) != project.Name)
                continue;
            progress.Report("Volume", volume.Name, "Removing");
            try
            {
                await client.RemoveVolumeAsync(volume.Name, force: false, ct);
                progress.Report("Volume", volume.Name, "Removed");
            }
            catch (EngineApiException e) when (!e.IsNotFound)
            {
                progress.Report("Volume", volume.Name, "Error");
                progress.Warn($"volume {volume.Name}: {e.Message}");
            }
        }
    }
}

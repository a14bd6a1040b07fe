using Berth.Client;

namespace Berth.Compose.Execution;

public sealed partial class ProjectRunner
{
    /// <summary>
    /// <c>down</c>: the containers (one-off ones too) stopped and removed, dependents first, then the
    /// project's networks (never external ones), then with -v its named volumes, with --rmi its images.
    /// </summary>
    public async Task DownAsync(DownOptions options, CancellationToken ct)
    {
        var containers = await ContainersAsync(true, OneOffs.Include, null, ct);
        var orphans = containers.Where(c => !c.OneOff && IsOrphan(c)).ToList();
        if (!options.RemoveOrphans)
            WarnOrphans(orphans);
        var doomed = containers.Where(c => options.RemoveOrphans || c.OneOff || !IsOrphan(c));
        await InStopWavesAsync(doomed, c => StopAndRemoveAsync(c, options.Timeout, options.RemoveVolumes, ct));
        await new NetworkEnsurer(client, project, progress, composeVersion).RemoveAsync(ct);
        if (options.RemoveVolumes)
            await new VolumeEnsurer(client, project, progress, composeVersion).RemoveAsync(ct);
        if (options.RemoveImages is { } which)
            await RemoveImagesAsync(which, ct);
    }

    /// <summary>--rmi all: every service's image; --rmi local: only those built without an <c>image</c> name.</summary>
    private async Task RemoveImagesAsync(string which, CancellationToken ct)
    {
        if (which is not ("all" or "local"))
            throw new ComposeException($"invalid value for --rmi: {which}");
        var images = project.Services.Values
            .Where(s => which == "all" || s.Image is null)
            .Select(s => ImageEnsurer.ImageName(project, s))
            .Distinct(StringComparer.Ordinal);
        foreach (var image in images)
        {
            try
            {
                await client.InspectImageAsync(image, ct);
            }
            catch (EngineApiException e) when (e.IsNotFound)
            {
                continue;
            }
            progress.Report("Image", image, "Removing");
            try
            {
                await client.RemoveImageAsync(image, force: false, noPrune: false, ct);
                progress.Report("Image", image, "Removed");
            }
            catch (EngineApiException e)
            {
                progress.Report("Image", image, "Error");
                progress.Warn($"image {image}: {e.Message}");
            }
        }
    }
}

using Berth.Client;

namespace Berth.Compose.Execution;

public sealed partial class ProjectRunner
{
    /// <summary>
    /// <c>build</c>: the services (all when none) that have a build section, each tagged with its image name. The
    /// daemon's build output goes to <see cref="IComposeProgress.DaemonMessage"/> (kind "Service").
    /// </summary>
    public async Task BuildAsync(IReadOnlyList<string> services, BuildOptions options, CancellationToken ct)
    {
        foreach (var name in DependencyOrder.Select(project, services, noDeps: true))
        {
            var service = project.Services[name];
            if (service.Build is not null)
                await Images.BuildAsync(service, options, ct);
        }
    }

    /// <summary>
    /// <c>pull</c>: the images of the services (all when none) that name one. A failure of a service that can be
    /// built instead is only a warning, as is any failure with <paramref name="ignoreFailures"/>.
    /// </summary>
    public async Task PullAsync(IReadOnlyList<string> services, bool ignoreFailures, CancellationToken ct)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in DependencyOrder.Select(project, services, noDeps: true))
        {
            var service = project.Services[name];
            if (service.Image is not { Length: > 0 } image || service.PullPolicy is "build" or "never" || !done.Add(image))
                continue;
            try
            {
                await Images.TryPullAsync(service, image, throwIfNotBuildable: service.Build is null, ct);
            }
            catch (ComposeException e) when (ignoreFailures)
            {
                progress.Warn(e.Message);
            }
        }
    }

    /// <summary><c>push</c>: the images of the services that are built and named (image and build both set).</summary>
    public async Task PushAsync(IReadOnlyList<string> services, bool ignoreFailures, CancellationToken ct)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in DependencyOrder.Select(project, services, noDeps: true))
        {
            var service = project.Services[name];
            if (service.Build is null || service.Image is not { Length: > 0 } image || !done.Add(image))
                continue;
            progress.Report("Image", image, "Pushing");
            try
            {
                var (repository, tag) = ImageEnsurer.SplitTag(image);
                var stream = await client.PushImageAsync(repository, tag, await Registry.AuthForAsync(image, ct), ct);
                await DaemonStream.DrainAsync(stream, progress, "Image", image, ct);
                progress.Report("Image", image, "Pushed");
            }
            catch (Exception e) when (e is EngineApiException or ComposeException)
            {
                progress.Report("Image", image, "Error");
                if (!ignoreFailures)
                    throw new ComposeException(e.Message);
                progress.Warn(e.Message);
            }
        }
    }
}

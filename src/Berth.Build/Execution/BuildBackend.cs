using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Engine.Networks;

namespace Berth.Build.Execution;

/// <summary>
/// The engine a build works through: RUN steps are containers like any other (created, attached, started, waited
/// for and committed), and a FROM of an image not present is a pull. The pull is the daemon's, which holds the
/// registry client and the caller's credentials.
/// </summary>
public sealed record BuildBackend(
    ContainerService Containers,
    ImageService Images,
    NetworkService Networks,
    Func<string, IProgress<JsonMessage>, CancellationToken, Task> PullAsync,
    Func<string> NewTempDir);

namespace Berth.Registry.Tests.Infrastructure;

/// <summary>A registry process the tests talk to: berth-registry or docker-registry 2.8.2.</summary>
public interface IRegistryUnderTest : IAsyncDisposable
{
    string Name { get; }

    /// <summary>"127.0.0.1:PORT".</summary>
    string HostPort { get; }

    Uri BaseUri { get; }

    string Root { get; }
}

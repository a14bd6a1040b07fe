namespace Berth.IntegrationTests.Infrastructure;

/// <summary>One berthd shared by the tests of a class (xunit class fixture).</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    private BerthDaemon? _daemon;

    public BerthDaemon Daemon => _daemon ?? throw new InvalidOperationException("daemon not started");

    public async Task InitializeAsync() => _daemon = await BerthDaemon.StartAsync();

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}

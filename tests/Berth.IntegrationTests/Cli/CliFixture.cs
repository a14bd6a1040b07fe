using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// The daemon of a class of CLI comparison tests: a berthd of its own with busybox:latest, unless
/// $BERTH_CLI_TEST_HOST names another daemon to compare on.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    private BerthDaemon? _daemon;
    private CliTarget? _target;

    public CliTarget Target => _target ?? throw new InvalidOperationException("CLI target not set up");

    public async Task InitializeAsync()
    {
        if (CliTarget.SkipReason is not null) return;
        if (CliTarget.ConfiguredHost is { } host)
        {
            _target = new CliTarget(host, Path.Combine(Path.GetTempPath(), "berth-cli-docker-config"));
            return;
        }
        _daemon = await BerthDaemon.StartAsync();
        _target = new CliTarget(_daemon.Host, Path.Combine(_daemon.Root, "docker-config"));
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}

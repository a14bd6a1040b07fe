using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Tty;

/// <summary>
/// A real terminal for interactive tests: a detached tmux session on a private server socket, running one command
/// with the daemon's environment. Keys go in with send-keys, the screen comes back with capture-pane.
/// </summary>
public sealed class TmuxTerminal : IAsyncDisposable
{
    private readonly string _socket = "berth-test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _session;

    // The command's exit status, written by the shell that runs it: tmux's #{pane_dead_status} is sometimes empty.
    private readonly string _statusFile = Path.Combine(Path.GetTempPath(), "berth-tmux-status-" + Guid.NewGuid().ToString("N")[..8]);

    private TmuxTerminal(string session) => _session = session;

    public static async Task<TmuxTerminal> StartAsync(BerthDaemon daemon, string program, IEnumerable<string> args, int width = 100, int height = 30)
    {
        var terminal = new TmuxTerminal("s");
        var env = daemon.Env.Select(kv => $"{kv.Key}={kv.Value}");
        var run = string.Join(' ', new[] { "env" }.Concat(env).Append(program).Concat(args).Select(Quote));
        var command = $"sh -c {Quote(run + "; echo $? > " + Quote(terminal._statusFile))}";
        (await terminal.TmuxAsync("new-session", "-d", "-s", terminal._session, "-x", width.ToString(), "-y", height.ToString(), command)).EnsureSuccess();
        (await terminal.TmuxAsync("set-option", "-t", terminal._session, "remain-on-exit", "on")).EnsureSuccess();
        return terminal;
    }

    /// <summary>Types text literally, then presses Enter when asked.</summary>
    public async Task TypeAsync(string text, bool enter = true)
    {
        (await TmuxAsync("send-keys", "-t", _session, "-l", text)).EnsureSuccess();
        if (enter) (await TmuxAsync("send-keys", "-t", _session, "Enter")).EnsureSuccess();
    }

    /// <summary>Presses keys by tmux name ("C-p", "C-q").</summary>
    public async Task KeysAsync(params string[] keys) => (await TmuxAsync(["send-keys", "-t", _session, .. keys])).EnsureSuccess();

    public async Task ResizeAsync(int width, int height) =>
        (await TmuxAsync("resize-window", "-t", _session, "-x", width.ToString(), "-y", height.ToString())).EnsureSuccess();

    public async Task<string> ScreenAsync() => (await TmuxAsync("capture-pane", "-p", "-t", _session)).Stdout;

    /// <summary>Waits until the screen contains <paramref name="text"/>; fails with the screen after the time limit.</summary>
    public async Task<string> WaitForAsync(string text, int seconds = 15)
    {
        string screen = "";
        for (var start = DateTime.UtcNow; DateTime.UtcNow - start < TimeSpan.FromSeconds(seconds);)
        {
            screen = await ScreenAsync();
            if (screen.Contains(text, StringComparison.Ordinal)) return screen;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"terminal never showed \"{text}\"; screen:\n{screen}");
    }

    /// <summary>True once the command in the terminal has ended (the pane stays, showing it dead).</summary>
    public async Task<bool> WaitForExitAsync(int seconds = 15)
    {
        for (var start = DateTime.UtcNow; DateTime.UtcNow - start < TimeSpan.FromSeconds(seconds);)
        {
            var dead = await TmuxAsync("display-message", "-p", "-t", _session, "#{pane_dead}");
            if (dead.Stdout.StartsWith('1')) return true;
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>The exit status of the ended command; -1 when it never wrote one.</summary>
    public async Task<int> ExitStatusAsync()
    {
        for (int i = 0; i < 20; i++)
        {
            if (File.Exists(_statusFile) && int.TryParse((await File.ReadAllTextAsync(_statusFile)).Trim(), out int status)) return status;
            await Task.Delay(100);
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await TmuxAsync("kill-server");
        File.Delete(_statusFile);
    }

    private Task<CommandResult> TmuxAsync(params string[] args) =>
        Commands.RunAsync("tmux", ["-L", _socket, .. args], timeout: TimeSpan.FromSeconds(10));

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}

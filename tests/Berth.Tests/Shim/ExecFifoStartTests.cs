using System.Diagnostics;
using Berth.Shim.Loop;
using Berth.Shim.Runtime;

namespace Berth.Tests.Shim;

/// <summary>The shim's stand-in for <c>runc start</c>, against a fifo whose writer plays runc init.</summary>
public sealed class ExecFifoStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-fifo").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string MakeFifo()
    {
        string path = Path.Combine(_dir, ExecFifoStart.FileName);
        using var mkfifo = Process.Start("mkfifo", path);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>Runs the start on a loop of its own until it is done (or 5 s); returns (started, outcome).</summary>
    private static (bool Began, string? Error, bool Done) Run(string path, Func<bool> initGone, Action? init = null)
    {
        using var loop = new EventLoop();
        string? error = null;
        bool done = false;
        bool began = ExecFifoStart.TryBegin(loop, path, initGone, e =>
        {
            (error, done) = (e, true);
            loop.Stop();
        });
        if (!began) return (false, null, false);
        var writer = init is null ? null : Task.Run(init);
        loop.Schedule(5000, loop.Stop);
        loop.Run(() => { });
        writer?.Wait(TimeSpan.FromSeconds(5));
        return (true, error, done);
    }

    [Fact]
    public void Lets_the_init_run_and_removes_the_fifo_as_runc_start_does()
    {
        string path = MakeFifo();
        var (began, error, done) = Run(path, () => false, () =>
        {
            using var fifo = new FileStream(path, FileMode.Open, FileAccess.Write);
            Thread.Sleep(50); // runc init: connected, not yet written
            fifo.WriteByte((byte)'0');
            fifo.Flush();
            Thread.Sleep(50); // written, not yet exec'd
        });
        Assert.True(began);
        Assert.True(done);
        Assert.Null(error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void An_init_that_closes_without_writing_has_died()
    {
        string path = MakeFifo();
        var (_, error, done) = Run(path, () => false, () =>
        {
            using var fifo = new FileStream(path, FileMode.Open, FileAccess.Write);
        });
        Assert.True(done);
        Assert.NotNull(error);
    }

    [Fact]
    public void An_init_gone_before_it_opened_the_fifo_fails_the_start()
    {
        string path = MakeFifo();
        var clock = Stopwatch.StartNew();
        var (_, error, done) = Run(path, () => true);
        Assert.True(done);
        Assert.NotNull(error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Without_a_fifo_the_caller_falls_back_to_runc()
    {
        var (began, _, _) = Run(Path.Combine(_dir, "absent"), () => false);
        Assert.False(began);
    }
}

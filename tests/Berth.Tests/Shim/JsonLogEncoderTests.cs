using System.Text;
using System.Text.Json;
using Berth.Shim.Io;
using Berth.Shim.Log;
using Berth.Shim.Loop;

namespace Berth.Tests.Shim;

/// <summary>The log as the output pumps feed it: inline while output is light, on the writer thread once heavy.</summary>
public sealed class JsonLogEncoderTests : IDisposable
{
    private const long Time = 1_795_831_724_381_986_859;
    private readonly EventLoop _loop = new();

    public void Dispose() => _loop.Dispose();

    /// <summary>Collects what reaches the disk; can hold the writer thread (a slow disk) until released.</summary>
    private sealed class GatedSink : ILogSink, IDisposable
    {
        private readonly MemoryStream _bytes = new();
        public ManualResetEventSlim Open { get; } = new(true);
        public int Batches { get; private set; }
        public bool Disposed { get; private set; }

        public void Write(ReadOnlySpan<byte> entries)
        {
            Open.Wait(TimeSpan.FromSeconds(10));
            lock (_bytes)
            {
                _bytes.Write(entries);
                Batches++;
            }
        }

        public string Text()
        {
            lock (_bytes) return Encoding.UTF8.GetString(_bytes.ToArray());
        }

        public void Dispose() => Disposed = true;
    }

    /// <summary>Reads <paramref name="data"/> as a pump would: into the buffer the log hands out, then logs it.</summary>
    private static bool Feed(JsonLogEncoder log, OutputStream stream, ReadOnlySpan<byte> data)
    {
        var buffer = log.NextReadBuffer();
        if (buffer.IsEmpty) return false;
        data.CopyTo(buffer);
        log.Write(stream, buffer[..data.Length], Time);
        return true;
    }

    private static string Lines(int from, int count, int width) =>
        string.Concat(Enumerable.Range(from, count).Select(i => $"{i:D8} {new string('x', width)}\n"));

    private static List<string> Logged(string text, string stream) =>
        text.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("stream").GetString() == stream).Select(e => e.GetProperty("log").GetString()!).ToList();

    [Fact]
    public void Light_output_is_written_as_it_comes_on_the_calling_thread()
    {
        var sink = new GatedSink();
        var log = new JsonLogEncoder(_loop, sink);
        Assert.True(Feed(log, OutputStream.Stdout, "a\nb"u8));
        Assert.False(log.Threaded);
        Assert.Equal(["a\n"], Logged(sink.Text(), "stdout"));
        log.Complete(OutputStream.Stdout, Time);
        Assert.Equal(["a\n", "b"], Logged(sink.Text(), "stdout"));
        log.Dispose();
        Assert.True(sink.Disposed);
    }

    [Fact]
    public void Heavy_output_moves_to_the_writer_thread_and_keeps_every_line_in_order()
    {
        var sink = new GatedSink();
        var log = new JsonLogEncoder(_loop, sink);
        string first = Lines(0, 1000, 90); // > 64 KiB: the next chunks go to the writer thread
        Assert.True(Feed(log, OutputStream.Stdout, Encoding.ASCII.GetBytes(first)));
        Assert.True(log.Threaded);
        var expectedOut = new StringBuilder(first);
        var expectedErr = new StringBuilder();
        for (int chunk = 0; chunk < 40; chunk++)
        {
            // Lines cut across chunks, both streams interleaved.
            string text = Lines(1000 + chunk * 100, 100, chunk) + "unfinished-" + chunk;
            var stream = chunk % 3 == 0 ? OutputStream.Stderr : OutputStream.Stdout;
            (stream == OutputStream.Stderr ? expectedErr : expectedOut).Append(text);
            while (!Feed(log, stream, Encoding.ASCII.GetBytes(text))) Thread.Sleep(1);
        }
        log.Complete(OutputStream.Stdout, Time);
        log.Complete(OutputStream.Stderr, Time);
        log.Dispose();

        Assert.True(sink.Disposed);
        string written = sink.Text();
        Assert.Equal(expectedOut.ToString(), string.Concat(Logged(written, "stdout")));
        Assert.Equal(expectedErr.ToString(), string.Concat(Logged(written, "stderr")));
        Assert.All(Logged(written, "stdout").SkipLast(1), line => Assert.EndsWith("\n", line));
    }

    [Fact]
    public void A_slow_disk_stops_the_reads_until_the_writer_frees_a_slot()
    {
        var sink = new GatedSink();
        var log = new JsonLogEncoder(_loop, sink);
        Assert.True(Feed(log, OutputStream.Stdout, Encoding.ASCII.GetBytes(Lines(0, 1000, 90))));
        sink.Open.Reset(); // the disk stalls
        // ~340 KB of entries each: the writer's buffer fills on the second chunk it formats, whose slot it then holds
        // while the write blocks; the first it may have freed.
        var chunk = Encoding.ASCII.GetBytes(Lines(0, 2000, 90));
        int accepted = 0;
        while (accepted < 100 && Feed(log, OutputStream.Stdout, chunk)) accepted++;
        Assert.InRange(accepted, LogWriterThread.Slots, LogWriterThread.Slots + 1);

        bool woken = false;
        log.WhenSpaceAvailable(() =>
        {
            woken = true;
            _loop.Stop();
        });
        _loop.Schedule(10_000, _loop.Stop);
        sink.Open.Set();
        _loop.Run(() => { });
        Assert.True(woken);
        Assert.True(Feed(log, OutputStream.Stdout, chunk));
        log.Dispose();
        Assert.Equal(1000 + (accepted + 1) * 2000, Logged(sink.Text(), "stdout").Count);
    }

    [Fact]
    public void After_a_burst_the_writer_thread_goes_and_light_output_is_written_inline_again()
    {
        var sink = new GatedSink();
        var log = new JsonLogEncoder(_loop, sink);
        string burst = Lines(0, 1000, 90);
        Assert.True(Feed(log, OutputStream.Stdout, Encoding.ASCII.GetBytes(burst)));
        Assert.True(Feed(log, OutputStream.Stdout, "threaded "u8));
        Assert.True(log.Threaded);
        _loop.Schedule(JsonLogEncoder.IdleMillis + 1000, _loop.Stop);
        _loop.Run(() => { });
        Assert.False(log.Threaded);
        Assert.True(Feed(log, OutputStream.Stdout, "then inline\n"u8));
        Assert.Equal(burst + "threaded then inline\n", string.Concat(Logged(sink.Text(), "stdout")));
        log.Dispose();
    }
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.TestPlugin;

/// <summary>
/// A logging plugin for the tests (Docker's LogDriver protocol): reads the framed LogEntry messages of each FIFO it is
/// given, appends what it is asked and what it reads to a log file (<c>start FILE ID</c>, <c>stdout LINE</c>,
/// <c>stderr LINE</c>, <c>stop FILE</c>), keeps the entries per container and gives them back through ReadLogs (as a
/// json-file-backed plugin does: each whole line with its newline), unless <c>readLogs</c> is false (then it says so in
/// Capabilities and docker logs reads the daemon's dual-logging cache).
/// </summary>
internal sealed class LogDriverPlugin(string log, bool readLogs)
{
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, Reader> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<byte[]>> _entries = new(StringComparer.Ordinal);

    public PluginResponse Handle(string method, byte[] body)
    {
        switch (method)
        {
            case "Plugin.Activate":
                return Answer("{\"Implements\":[\"LogDriver\"]}");
            case "LogDriver.Capabilities":
                return Answer(readLogs ? "{\"Cap\":{\"ReadLogs\":true}}" : "{\"Cap\":{\"ReadLogs\":false}}");
            case "LogDriver.StartLogging":
            {
                var request = JsonSerializer.Deserialize(body, LogDriverJsonContext.Default.LogRequest)!;
                string id = request.Info?.ContainerID ?? "";
                Append($"start {request.File} {id} {request.Info?.ContainerName}");
                var reader = new Reader(request.File!, id, this);
                lock (_readers) _readers[request.File!] = reader;
                reader.Start();
                return Answer("{}");
            }
            case "LogDriver.StopLogging":
            {
                var request = JsonSerializer.Deserialize(body, LogDriverJsonContext.Default.LogRequest)!;
                Reader? reader;
                lock (_readers) _readers.Remove(request.File!, out reader);
                // Docker's rule: read everything the FIFO holds before answering (the writer has closed its end by now).
                bool drained = reader?.Done.Wait(DrainWait) ?? false;
                Append($"stop {request.File} {(drained ? "drained" : "not-drained")}");
                return Answer("{}");
            }
            case "LogDriver.ReadLogs":
            {
                var request = JsonSerializer.Deserialize(body, LogDriverJsonContext.Default.LogRequest)!;
                var stream = new MemoryStream();
                lock (_entries)
                {
                    var all = _entries.GetValueOrDefault(request.Info?.ContainerID ?? "") ?? [];
                    int tail = request.Config?.Tail ?? -1;
                    foreach (var frame in tail >= 0 ? all.Skip(Math.Max(0, all.Count - tail)) : all) stream.Write(frame);
                }
                return new PluginResponse(200, stream.ToArray());
            }
            default:
                return new PluginResponse(404, "{\"Err\":\"unknown method\"}"u8.ToArray());
        }
    }

    private static PluginResponse Answer(string json) => new(200, Encoding.UTF8.GetBytes(json));

    private void Append(string line)
    {
        lock (this) File.AppendAllText(log, line + "\n");
    }

    /// <summary>Reads one FIFO to its end on a thread of its own.</summary>
    private sealed class Reader(string path, string containerId, LogDriverPlugin plugin)
    {
        public ManualResetEventSlim Done { get; } = new();

        public void Start() => new Thread(Run) { IsBackground = true }.Start();

        private void Run()
        {
            try
            {
                using var fifo = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0);
                var header = new byte[4];
                while (fifo.ReadAtLeast(header, 4, throwOnEndOfStream: false) == 4)
                {
                    var message = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
                    fifo.ReadExactly(message);
                    var (source, time, line, partial) = Decode(message);
                    plugin.Append($"{source} {Encoding.UTF8.GetString(line)}{(partial ? " (partial)" : "")}");
                    // Given back as a json-file-backed plugin gives it: a whole line with its newline.
                    byte[] back = partial ? line : [.. line, (byte)'\n'];
                    lock (plugin._entries)
                    {
                        if (!plugin._entries.TryGetValue(containerId, out var list)) plugin._entries[containerId] = list = [];
                        list.Add(Encode(source, time, back, partial));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                plugin.Append($"error {path}: {e.Message}");
            }
            finally
            {
                Done.Set();
            }
        }
    }

    private static (string Source, long Time, byte[] Line, bool Partial) Decode(ReadOnlySpan<byte> message)
    {
        string source = "";
        long time = 0;
        byte[] line = [];
        bool partial = false;
        while (!message.IsEmpty)
        {
            ulong key = Varint(ref message);
            if ((key & 7) == 0)
            {
                ulong value = Varint(ref message);
                if (key >> 3 == 2) time = (long)value;
                if (key >> 3 == 4) partial = value != 0;
            }
            else if ((key & 7) == 2)
            {
                int length = (int)Varint(ref message);
                if (key >> 3 == 1) source = Encoding.UTF8.GetString(message[..length]);
                if (key >> 3 == 3) line = message[..length].ToArray();
                message = message[length..];
            }
            else
            {
                throw new InvalidDataException($"unexpected wire type in {key}");
            }
        }
        return (source, time, line, partial);
    }

    private static ulong Varint(ref ReadOnlySpan<byte> message)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = message[0];
            message = message[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }

    private static byte[] Encode(string source, long time, byte[] line, bool partial)
    {
        var message = new List<byte> { 0x0A, (byte)source.Length };
        message.AddRange(Encoding.UTF8.GetBytes(source));
        message.Add(0x10);
        for (ulong v = (ulong)time; ; v >>= 7)
        {
            if (v < 0x80)
            {
                message.Add((byte)v);
                break;
            }
            message.Add((byte)(v | 0x80));
        }
        message.Add(0x1A);
        for (ulong v = (ulong)line.Length; ; v >>= 7)
        {
            if (v < 0x80)
            {
                message.Add((byte)v);
                break;
            }
            message.Add((byte)(v | 0x80));
        }
        message.AddRange(line);
        if (partial) message.AddRange([0x20, 1]);
        var frame = new byte[4 + message.Count];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)message.Count);
        message.CopyTo(frame, 4);
        return frame;
    }
}

internal sealed class LogRequest
{
    public string? File { get; set; }
    public LogInfo? Info { get; set; }
    public LogReadConfig? Config { get; set; }
}

internal sealed class LogInfo
{
    public string? ContainerID { get; set; }
    public string? ContainerName { get; set; }
}

internal sealed class LogReadConfig
{
    public int Tail { get; set; } = -1;
    public bool Follow { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(LogRequest))]
internal sealed partial class LogDriverJsonContext : JsonSerializerContext;

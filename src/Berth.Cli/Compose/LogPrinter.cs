using System.Text;
using Berth.Client;
using Berth.Client.Streams;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose;

/// <summary>
/// Several containers' logs interleaved on stdout, each line prefixed with its container's short name padded to the
/// longest (<c>web-1  | ...</c>), as <c>compose logs</c> and an attached <c>compose up</c> print them. A line is
/// written whole, so lines of different containers never mix.
/// </summary>
public sealed class LogPrinter(CliContext context, IReadOnlyList<ProjectContainer> containers, bool prefix)
{
    private readonly Lock _gate = new();
    private readonly int _width = containers.Count == 0 ? 0 : containers.Max(c => ShortName(c).Length) + 1;

    /// <summary><c>web-1</c> for <c>proj-web-1</c>; a one-off or a container_name keeps its own name.</summary>
    public static string ShortName(ProjectContainer container) =>
        container.OneOff || container.Number <= 0 ? container.Name : $"{container.Service}-{container.Number}";

    public Task PrintAllAsync(LogsOptions options, CancellationToken cancellationToken) =>
        Task.WhenAll(containers.Select(c => PrintAsync(c, options, cancellationToken)));

    public async Task PrintAsync(ProjectContainer container, LogsOptions options, CancellationToken cancellationToken)
    {
        var label = prefix ? ShortName(container).PadRight(_width) + " | " : "";
        // A TTY container's log is raw bytes; otherwise it is framed. Only inspect tells which.
        var inspect = await context.Client.InspectContainerAsync(container.Id, false, cancellationToken);
        var tty = inspect["Config"]?["Tty"]?.GetValue<bool>() ?? false;
        await using var logs = await context.Client.ContainerLogsAsync(container.Id, options, cancellationToken);
        var pending = new StringBuilder();
        // One decoder per container: a character split across two frames is put together again.
        var decoder = Encoding.UTF8.GetDecoder();
        string Decode(byte[] bytes, int count)
        {
            var chars = new char[decoder.GetCharCount(bytes, 0, count)];
            return new string(chars, 0, decoder.GetChars(bytes, 0, count, chars, 0));
        }
        if (tty)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await logs.ReadAsync(buffer, cancellationToken)) > 0)
                Emit(pending, Decode(buffer, read), label);
        }
        else
        {
            var reader = new MultiplexedStreamReader(logs);
            while (true)
            {
                var (ok, _, length) = await reader.ReadHeaderAsync(cancellationToken);
                if (!ok)
                    break;
                var payload = new byte[length];
                await logs.ReadExactlyAsync(payload, cancellationToken);
                Emit(pending, Decode(payload, payload.Length), label);
            }
        }
        if (pending.Length > 0)
            WriteLine(label + pending);
    }

    /// <summary>A line of the printer's own (<c>web-1 exited with code 0</c>), kept apart from container lines.</summary>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            context.Out.Write(line + "\n");
            context.Out.Flush();
        }
    }

    private void Emit(StringBuilder pending, string text, string label)
    {
        pending.Append(text);
        var all = pending.ToString();
        var end = all.LastIndexOf('\n');
        if (end < 0)
            return;
        var lines = all[..end].Split('\n');
        pending.Clear().Append(all[(end + 1)..]);
        var block = new StringBuilder();
        foreach (var line in lines)
            block.Append(label).Append(line.TrimEnd('\r')).Append('\n');
        lock (_gate)
        {
            context.Out.Write(block.ToString());
            context.Out.Flush();
        }
    }
}

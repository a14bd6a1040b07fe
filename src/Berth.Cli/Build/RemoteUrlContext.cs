using Berth.Api.BuildContext.Remote;
using Berth.Cli.Output;

namespace Berth.Cli.Build;

/// <summary>
/// <c>berth build http(s)://…</c>: as docker's client does, the URL is downloaded with a "Downloading build context
/// from remote url" progress line; an archive is sent as the context, anything else as the Dockerfile of an otherwise
/// empty context (the rules of <c>berth build -</c>).
/// </summary>
public static class RemoteUrlContext
{
    private const long UpdateEveryBytes = 512 * 1024;

    public static async Task<PreparedContext> PrepareAsync(string url, string? dockerfileFlag, TextWriter progress, bool terminal,
        CancellationToken cancellationToken)
    {
        if (dockerfileFlag == "-")
            throw new CliException("unable to prepare context: berth does not take the Dockerfile from stdin with a URL context");
        string temporary = Directory.CreateTempSubdirectory("docker-build-remote").FullName;
        try
        {
            string file = Path.Join(temporary, "context");
            await DownloadAsync(url, file, progress, terminal, cancellationToken);
            var content = File.OpenRead(file);
            var (write, dockerfile) = await StdinContext.OpenAsync(content, dockerfileFlag, cancellationToken);
            return new PreparedContext(async (output, token) =>
            {
                await using (content) await write(output, token);
            }, dockerfile, temporary);
        }
        catch
        {
            new PreparedContext((_, _) => Task.CompletedTask, null, temporary).Dispose();
            throw;
        }
    }

    private static async Task DownloadAsync(string url, string file, TextWriter progress, bool terminal, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        try
        {
            using var response = await RemoteHttp.GetAsync(http, url, cancellationToken);
            long total = response.Content.Headers.ContentLength ?? 0;
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var output = File.Create(file);
            var buffer = new byte[81920];
            long current = 0, lastUpdate = 0;
            for (int read; (read = await body.ReadAsync(buffer, cancellationToken)) > 0;)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                current += read;
                if (terminal && current - lastUpdate > UpdateEveryBytes)
                {
                    lastUpdate = current;
                    progress.Write(Line(url, current, total));
                    progress.Flush();
                }
            }
            // docker's progress reader reports the end, then its closing adds the last line once more and a newline.
            progress.Write(Line(url, current, total) + Line(url, current, total) + "\r\n");
            progress.Flush();
        }
        catch (RemoteContextException e)
        {
            throw new CliException($"unable to prepare context: unable to download remote context {url}: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new CliException($"unable to prepare context: unable to download remote context {url}: {e.Message}");
        }
    }

    /// <summary>docker's line: the action, then JSONProgress.String at its default 200 columns (bar and sizes), then "\r".</summary>
    private static string Line(string url, long current, long total)
    {
        string currentText = HumanUnits.HumanSize(current, 4).PadLeft(8);
        string numbers;
        if (total <= 0)
        {
            numbers = current > 0 ? currentText : "";
        }
        else
        {
            int filled = Math.Min(50, (int)(current * 100.0 / total) / 2);
            string bar = $"[{new string('=', filled)}>{new string(' ', 50 - filled)}] ";
            numbers = bar + (current > total ? currentText : $"{currentText}/{HumanUnits.HumanSize(total, 4)}");
        }
        return $"Downloading build context from remote url: {url} {numbers}\r";
    }
}

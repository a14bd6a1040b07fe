using Berth.Api;
using Berth.Api.BuildContext.Remote;
using Berth.Build.Context;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Progress;
using Berth.Oci.Errors;

namespace Berth.Build.Remote;

/// <summary>POST /build?remote=: a git repository is checked out, a URL downloaded, as Docker's classic builder does.</summary>
public static class RemoteBuildContext
{
    private const string ClientSession = "client-session";
    private const string DownloadProgressId = "Downloading context";

    /// <summary>Fetches <paramref name="remote"/> into the empty directory <paramref name="directory"/>.</summary>
    /// <param name="scratch">A second empty directory for the download on its way.</param>
    public static async Task<BuildContextLocation> FetchAsync(string remote, string directory, string scratch,
        IProgress<JsonMessage> progress, CancellationToken cancellationToken)
    {
        if (remote == ClientSession)
            throw BerthException.Invalid("experimental session with v1 builder is no longer supported, use builder version v2 (BuildKit) instead");
        return RemoteContextUrl.Classify(remote) switch
        {
            RemoteContextKind.Git => new BuildContextLocation(await CloneAsync(remote, directory, cancellationToken), null),
            RemoteContextKind.Url => await DownloadAsync(remote, directory, scratch, progress, cancellationToken),
            _ => throw BerthException.Internal($"remoteURL ({remote}) could not be recognized as URL"),
        };
    }

    private static async Task<string> CloneAsync(string remote, string directory, CancellationToken cancellationToken)
    {
        try
        {
            var repository = GitRepository.Parse(remote);
            return await GitCheckout.CloneAsync(repository, directory, isolateConfig: true, RemoteFetchLimits.Http,
                RemoteFetchLimits.TransferTimeout, cancellationToken);
        }
        catch (RemoteContextException e)
        {
            throw BerthException.Internal(e.Message);
        }
    }

    private static async Task<BuildContextLocation> DownloadAsync(string url, string directory, string scratch,
        IProgress<JsonMessage> progress, CancellationToken cancellationToken)
    {
        string file = Path.Combine(scratch, "remote-context");
        bool isDockerfile;
        try
        {
            isDockerfile = await SaveAsync(url, file, progress, cancellationToken);
        }
        catch (RemoteContextException e)
        {
            throw RemoteErrors.ToBerth(e, $"error downloading remote context {url}: ");
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException)
        {
            throw BerthException.Internal($"error downloading remote context {url}: {e.Message}");
        }

        await using var content = File.OpenRead(file);
        if (isDockerfile)
        {
            using var reader = new StreamReader(content);
            return new BuildContextLocation(directory, await reader.ReadToEndAsync(cancellationToken));
        }
        await ContextTar.ExtractAsync(content, directory, cancellationToken);
        return new BuildContextLocation(directory, null);
    }

    /// <summary>
    /// Writes the body to <paramref name="file"/>, bounded in size and time; returns whether it is a Dockerfile, decided
    /// before any progress is reported (so that a refused content type is still an HTTP error, as Docker's is).
    /// </summary>
    private static async Task<bool> SaveAsync(string url, string file, IProgress<JsonMessage> progress, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RemoteFetchLimits.TransferTimeout);
        using var response = await RemoteHttp.GetAsync(RemoteFetchLimits.Http, url, deadline.Token);
        await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        var preamble = new byte[RemoteContentType.PreambleLength];
        int read = await body.ReadAtLeastAsync(preamble, preamble.Length, throwOnEndOfStream: false, deadline.Token);
        bool isDockerfile;
        try
        {
            isDockerfile = RemoteContentType.IsDockerfile(response.Content.Headers.ContentType?.ToString(), preamble.AsSpan(0, read));
        }
        catch (RemoteContextException e)
        {
            throw BerthException.Internal($"error detecting content type for remote {url}: {e.Message}");
        }
        // Docker reports the bytes as the builder reads them, under the URL, without a total.
        var reporter = new ThrottledProgress(progress, current => new JsonMessage
        {
            Status = url,
            Id = DownloadProgressId,
            ProgressDetail = new JsonProgress { Current = current },
            Progress = ProgressText.Render(current, 0),
        }, 0);
        var counting = new CountingStream(body, current =>
        {
            if (read + current > RemoteFetchLimits.MaxContextBytes) throw RemoteFetchLimits.TooLarge(url, RemoteFetchLimits.MaxContextBytes);
            reporter.Update(read + current);
        });
        try
        {
            await using var output = File.Create(file);
            await output.WriteAsync(preamble.AsMemory(0, read), deadline.Token);
            reporter.Update(read);
            await counting.CopyToAsync(output, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteContextException($"the download did not finish within {RemoteFetchLimits.TransferTimeout.TotalMinutes:0} minutes");
        }
        reporter.Finish(read + counting.Count);
        return isDockerfile;
    }
}

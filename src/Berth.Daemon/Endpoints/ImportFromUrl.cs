using Berth.Api;
using Berth.Api.BuildContext.Remote;
using Berth.Build.Remote;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Progress;
using Berth.Engine.Images;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// POST /images/create?fromSrc=URL: the tar is downloaded and imported as a request body would be, with Docker's
/// "Downloading from URL" and "Importing" progress; a URL without a scheme is taken as http, as Docker takes it.
/// </summary>
internal static class ImportFromUrl
{
    public static async Task RunAsync(HttpContext context, DaemonServices services, string source, ImportRequest request)
    {
        string url = source.Contains("://", StringComparison.Ordinal) ? source : "http://" + source;
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
            throw BerthException.Invalid($"parse \"{url}\": invalid URL");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(RemoteFetchLimits.TransferTimeout);
        HttpResponseMessage response;
        try
        {
            response = await RemoteHttp.GetAsync(RemoteFetchLimits.Http, url, deadline.Token);
        }
        catch (RemoteContextException e)
        {
            throw RemoteErrors.ToBerth(e);
        }
        using (response)
        {
            await ProgressStream.RunAsync(context, async (progress, _) =>
            {
                progress.Report(new JsonMessage { Status = $"Downloading from {url}" });
                long total = response.Content.Headers.ContentLength ?? 0;
                var reporter = new ThrottledProgress(progress, current => new JsonMessage
                {
                    Status = "Importing",
                    ProgressDetail = new JsonProgress { Current = current, Total = total },
                    Progress = ProgressText.Render(current, total),
                }, total);
                await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
                var counting = new CountingStream(body, current =>
                {
                    if (current > RemoteFetchLimits.MaxImportBytes) throw RemoteFetchLimits.TooLarge(url, RemoteFetchLimits.MaxImportBytes);
                    reporter.Update(current);
                });
                Image image;
                try
                {
                    image = await services.ImageService.ImportAsync(counting, request.Repository, request.Tag, request.Message,
                        request.Changes, url, deadline.Token);
                }
                catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                {
                    throw BerthException.Internal($"{url}: the download did not finish within {RemoteFetchLimits.TransferTimeout.TotalMinutes:0} minutes");
                }
                catch (Exception e) when (e is HttpRequestException or HttpIOException)
                {
                    throw BerthException.Internal($"{url}: {e.Message}");
                }
                reporter.Finish(counting.Count);
                progress.Report(new JsonMessage { Status = image.Id });
            });
        }
    }
}

/// <summary>What POST /images/create?fromSrc= asks of an import, whatever the tar's source.</summary>
internal sealed record ImportRequest(string? Repository, string? Tag, string? Message, IReadOnlyList<string> Changes);

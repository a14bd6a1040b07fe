using System.Net;
using Berth.Engine.Distribution.Http;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Blobs;

/// <summary>
/// dockerd's retry of one layer transfer (its distribution/xfer managers): an attempt that fails with an error a retry
/// may cure is made again after 5 s, then 10 s, 15 s … (5 s more each time), counted down second by second in the
/// layer's progress ("Retrying in 5 seconds" … "Retrying in 1 second"). Errors no retry changes end it at once, and so
/// does cancellation; after the last attempt the last error stands, as dockerd reports it (no "after N attempts").
/// </summary>
/// <param name="attempts">How many attempts in all (at least one).</param>
/// <param name="countdownStep">One step of the countdown: a second, shorter only in tests.</param>
public sealed class TransferRetry(int attempts, TimeSpan countdownStep)
{
    /// <summary>dockerd 20.10 pushes a layer at most five times; the number is fixed (it has no max-upload-attempts).</summary>
    public const int UploadAttempts = 5;

    /// <summary>
    /// Downloads: dockerd 20.10 gives up only when the retries exceed max-download-attempts, so the default 5 makes six
    /// downloads (measured against it: 6 GETs of a blob that always answers 500, 75 s of countdown in between).
    /// </summary>
    public static TransferRetry ForDownloads(RegistryOptions options) => new(Math.Max(0, options.MaxDownloadAttempts) + 1, options.RetryCountdownStep);

    public static TransferRetry ForUploads(RegistryOptions options) => new(UploadAttempts, options.RetryCountdownStep);

    public int Attempts { get; } = Math.Max(1, attempts);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, fails for good, or the attempts are spent.
    /// <paramref name="status"/> receives each countdown line; <paramref name="onRetry"/> (if any) hears of each failure
    /// that is retried, with the retry's number.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, Action<string> status, Action<int, Exception>? onRetry, CancellationToken cancellationToken)
    {
        for (int retries = 0; ; )
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && retries + 1 < Attempts && IsRetryable(e))
            {
                retries++;
                onRetry?.Invoke(retries, e);
                for (int left = DelaySeconds(retries); left > 0; left--)
                {
                    status(RetryingIn(left));
                    await Task.Delay(countdownStep, cancellationToken);
                }
            }
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> attempt, Action<string> status, Action<int, Exception>? onRetry, CancellationToken cancellationToken) =>
        RunAsync(async ct =>
        {
            await attempt(ct);
            return true;
        }, status, onRetry, cancellationToken);

    /// <summary>The wait before retry number <paramref name="retry"/> (1, 2, …), in countdown steps: 5, 10, 15, …</summary>
    public static int DelaySeconds(int retry) => 5 * retry;

    /// <summary>dockerd's countdown line, singular at one.</summary>
    public static string RetryingIn(int seconds) => seconds == 1 ? "Retrying in 1 second" : $"Retrying in {seconds} seconds";

    /// <summary>
    /// dockerd's retryOnError: the registry's refusals (unauthorized, unsupported, denied, too many requests, unknown
    /// repository; a 404 for the blob; a 4xx whose body is no error list), a layer whose bytes do not match its digest
    /// (Berth's own verdicts, <see cref="BerthException"/>) and a full disk are final; anything else — a 5xx, another
    /// registry error code, a connection that failed or broke — may pass on another try.
    /// </summary>
    public static bool IsRetryable(Exception error)
    {
        if (MentionsFullDisk(error)) return false;
        return error switch
        {
            BerthException => false,
            RegistryException { Code: { } code } when IsFinalCode(code) => false,
            RegistryException { Status: HttpStatusCode.NotFound, Code: "BLOB_UNKNOWN" } => false,
            RegistryException { IsClientError: true, Errors.Count: 0 } => false,
            _ => true,
        };
    }

    private static bool IsFinalCode(string code) =>
        code.ToUpperInvariant() is "UNAUTHORIZED" or "UNSUPPORTED" or "DENIED" or "TOOMANYREQUESTS" or "NAME_UNKNOWN";

    private static bool MentionsFullDisk(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
            if (error.Message.Contains("no space left on device", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}

using System.Net;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Http;
using Berth.Oci.Errors;

namespace Berth.Tests.Distribution;

/// <summary>dockerd's rules for retrying a layer transfer (distribution/xfer), as measured against dockerd 20.10.</summary>
public class TransferRetryTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);

    private static RegistryException Status(int code, string? errorCode = null) =>
        new("boom", (HttpStatusCode)code, errorCode is null ? [] : [new RegistryErrorEntry { Code = errorCode, Message = "boom" }]);

    [Fact]
    public void Downloads_are_tried_once_more_than_max_download_attempts_and_uploads_five_times()
    {
        Assert.Equal(6, TransferRetry.ForDownloads(new RegistryOptions()).Attempts);
        Assert.Equal(2, TransferRetry.ForDownloads(new RegistryOptions { MaxDownloadAttempts = 1 }).Attempts);
        Assert.Equal(5, TransferRetry.ForUploads(new RegistryOptions()).Attempts);
        Assert.Equal(TimeSpan.FromSeconds(1), new RegistryOptions().RetryCountdownStep);
    }

    [Fact]
    public async Task Each_retry_counts_down_five_seconds_more_than_the_last_in_dockerds_words()
    {
        var lines = new List<string>();
        var retried = new List<int>();
        int calls = 0;
        string result = await new TransferRetry(4, Step).RunAsync(
            _ => ++calls < 3 ? throw Status(500) : Task.FromResult("done"),
            lines.Add, (retry, _) => retried.Add(retry), CancellationToken.None);

        Assert.Equal("done", result);
        Assert.Equal(3, calls);
        Assert.Equal([1, 2], retried);
        string[] first = ["Retrying in 5 seconds", "Retrying in 4 seconds", "Retrying in 3 seconds", "Retrying in 2 seconds", "Retrying in 1 second"];
        Assert.Equal([.. first, .. Enumerable.Range(6, 5).Reverse().Select(n => $"Retrying in {n} seconds"), .. first], lines);
    }

    [Fact]
    public async Task After_the_last_attempt_the_last_error_stands_unchanged()
    {
        int calls = 0;
        var last = Status(503);
        var error = await Assert.ThrowsAsync<RegistryException>(() => new TransferRetry(3, Step).RunAsync(
            _ => ++calls < 3 ? throw Status(500) : throw last, _ => { }, null, CancellationToken.None));
        Assert.Same(last, error);
        Assert.Equal(3, calls);
    }

    [Theory]
    [InlineData(401, "UNAUTHORIZED")]
    [InlineData(403, "DENIED")]
    [InlineData(429, "TOOMANYREQUESTS")]
    [InlineData(404, "NAME_UNKNOWN")]
    [InlineData(400, "UNSUPPORTED")]
    [InlineData(404, "BLOB_UNKNOWN")]
    [InlineData(400, null)] // a 4xx whose body is no error list
    public void The_registrys_refusals_are_final(int status, string? code) =>
        Assert.False(TransferRetry.IsRetryable(Status(status, code)));

    [Theory]
    [InlineData(500, null)]
    [InlineData(502, null)]
    [InlineData(400, "UNKNOWN")]
    [InlineData(400, "BLOB_UNKNOWN")] // only the blob's 404 is final, as in dockerd
    [InlineData(400, "DIGEST_INVALID")]
    public void Server_errors_and_other_codes_are_retried(int status, string? code) =>
        Assert.True(TransferRetry.IsRetryable(Status(status, code)));

    [Fact]
    public void Broken_connections_are_retried_but_a_bad_digest_and_a_full_disk_are_not()
    {
        Assert.True(TransferRetry.IsRetryable(new RegistryException("connection refused") { IsTransport = true }));
        Assert.True(TransferRetry.IsRetryable(new IOException("unexpected EOF")));
        Assert.False(TransferRetry.IsRetryable(BerthException.Invalid("filesystem layer verification failed for digest sha256:00")));
        Assert.False(TransferRetry.IsRetryable(new RegistryException("error pulling blob", inner: new IOException("No space left on device")) { IsTransport = true }));
    }

    [Fact]
    public async Task A_final_error_is_not_retried()
    {
        int calls = 0;
        await Assert.ThrowsAsync<RegistryException>(() => new TransferRetry(6, Step).RunAsync(
            _ => { calls++; throw Status(401, "UNAUTHORIZED"); }, _ => { }, null, CancellationToken.None));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Cancelling_during_the_countdown_ends_the_transfer()
    {
        using var cancel = new CancellationTokenSource();
        int calls = 0;
        var retry = new TransferRetry(6, TimeSpan.FromSeconds(30));
        var run = retry.RunAsync(_ => { calls++; throw Status(500); }, _ => cancel.Cancel(), null, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, calls);
    }
}

namespace Berth.Build.Remote;

/// <summary>
/// How much berthd fetches for a remote build context or an import from a URL, and for how long. Docker sets no bound;
/// berthd does, so that a slow or endless server cannot hold a request and fill the disk forever.
/// </summary>
public static class RemoteFetchLimits
{
    public const long MaxContextBytes = 4L << 30;
    public const long MaxImportBytes = 32L << 30;

    /// <summary>For the server to answer at all (the response headers).</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(2);

    /// <summary>For a whole download or git checkout.</summary>
    public static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(60);

    /// <summary>The one client for remote contexts and imports; redirects are followed, proxies come from the environment.</summary>
    public static readonly HttpClient Http = new() { Timeout = ResponseTimeout };

    public static InvalidDataException TooLarge(string url, long limit)
        => new($"{url}: the download is larger than berthd's limit of {limit >> 30} GiB");
}

using Berth.Api;
using Berth.Engine.Distribution;
using Berth.Oci.Content;

namespace Berth.IntegrationTests.Distribution.Infrastructure;

/// <summary>A registry client with its own temporary content store and metadata: one "daemon" of a test.</summary>
public sealed class ClientWorkspace : IDisposable
{
    public ClientWorkspace(RegistryOptions? options = null)
    {
        Root = Directory.CreateTempSubdirectory("berth-dist-").FullName;
        Content = new FileContentStore(Path.Combine(Root, "content"));
        // A retried layer counts down in milliseconds rather than dockerd's seconds (see BerthDaemon's test setting).
        Client = new RegistryClient(options ?? new RegistryOptions { CertificateDirectories = [], RetryCountdownStep = TimeSpan.FromMilliseconds(10) }, Path.Combine(Root, "distribution"));
        Target = new MemoryPullTarget(Content);
    }

    public string Root { get; }
    public FileContentStore Content { get; }
    public RegistryClient Client { get; }
    public MemoryPullTarget Target { get; }

    public void Dispose()
    {
        Client.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Collects progress messages (thread-safe) and renders them as the plain lines docker prints without a terminal.</summary>
public sealed class ProgressLog : IProgress<JsonMessage>
{
    private readonly List<JsonMessage> _messages = [];

    public void Report(JsonMessage value)
    {
        lock (_messages) _messages.Add(value);
    }

    public IReadOnlyList<JsonMessage> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    public IReadOnlyList<string> Lines => Messages.Select(m => m.Id is null ? m.Status ?? "" : $"{m.Id}: {m.Status}").ToList();

    public int Count(string status) => Messages.Count(m => m.Status == status);
}

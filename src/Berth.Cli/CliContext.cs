using System.Text;
using Berth.Client;
using Berth.Client.Hosts;
using Berth.Client.Http;
using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>What every command runs with: the process's streams, environment, global flags and a lazily made client.</summary>
public sealed class CliContext : IDisposable
{
    private readonly ParsedFlags _global;
    private EngineClient? _client;

    public CliContext(ParsedFlags global, Stream stdin, Stream stdout, Stream stderr, Func<string, string?> environment,
        CancellationToken cancellation)
    {
        _global = global;
        Stdin = stdin;
        StdoutStream = stdout;
        StderrStream = stderr;
        Out = new StreamWriter(stdout, new UTF8Encoding(false), 16 * 1024) { AutoFlush = false, NewLine = "\n" };
        Err = new StreamWriter(stderr, new UTF8Encoding(false), 4 * 1024) { AutoFlush = true, NewLine = "\n" };
        Environment = environment;
        Cancellation = cancellation;
    }

    public Stream Stdin { get; }
    public Stream StdoutStream { get; }
    public Stream StderrStream { get; }
    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public Func<string, string?> Environment { get; }
    public CancellationToken Cancellation { get; }

    /// <summary>"berth run" etc., for messages.</summary>
    public string CommandPath { get; set; } = "berth";

    public string ProgramName => "berth";

    /// <summary>The global --config flag (the docker client config directory), if given.</summary>
    public string? ConfigDirectoryFlag => _global.String("config");

    public DaemonHost Host => DaemonHostResolver.Resolve(_global.List("host"), Environment, Tls is not null);

    public TlsSettings? Tls => TlsSettings.From(_global.Bool("tls"), _global.OptionalBool("tlsverify"),
        _global.String("tlscacert"), _global.String("tlscert"), _global.String("tlskey"), Environment);

    public EngineClient Client => _client ??= new EngineClient(new DaemonConnector(Host, Tls), Environment("DOCKER_API_VERSION"),
        $"Berth-Client/{BuildInfo.Version} (linux)");

    /// <summary>Flushes buffered text so raw stream writes that follow keep their order.</summary>
    public void FlushOut() => Out.Flush();

    public void Dispose()
    {
        try
        {
            Out.Flush();
        }
        catch (IOException)
        {
            // stdout closed early (| head): nothing more to say there.
        }
        _client?.Dispose();
    }
}

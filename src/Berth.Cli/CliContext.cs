using System.Text;
using Berth.Client;
using Berth.Client.Contexts;
using Berth.Client.Hosts;
using Berth.Client.Http;
using Berth.Cli.Parsing;
using Berth.Cli.Registry;

namespace Berth.Cli;

/// <summary>What every command runs with: the process's streams, environment, global flags and a lazily made client.</summary>
public sealed class CliContext : IDisposable
{
    private readonly ParsedFlags _global;
    private EngineClient? _client;
    private DaemonEndpoint? _endpoint;
    private ContextStore? _contexts;

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

    /// <summary>The global --context flag, if given.</summary>
    public string? ContextFlag => _global.String("context");

    /// <summary>The docker client config directory: --config, $DOCKER_CONFIG, else ~/.docker.</summary>
    public string ConfigDirectory => DockerConfigFile.DirectoryFor(ConfigDirectoryFlag, Environment);

    /// <summary>The docker CLI's context store in <see cref="ConfigDirectory"/>.</summary>
    public ContextStore Contexts => _contexts ??= new ContextStore(ConfigDirectory);

    /// <summary>The global -H flags, as given.</summary>
    public IReadOnlyList<string> HostFlags => _global.List("host");

    /// <summary>The context this command runs in (docker's precedence; see <see cref="ContextResolver"/>).</summary>
    public string CurrentContextName => ContextResolver.CurrentName(ContextFlag, HostFlags, Environment,
        DockerConfigFile.Load(ConfigDirectory).CurrentContext);

    /// <summary>The current context's daemon address and TLS; throws when the context is not in the store.</summary>
    public DaemonEndpoint Endpoint => _endpoint ??= ContextResolver.Resolve(CurrentContextName, Contexts, HostFlags, Environment, FlagTls);

    public DaemonHost Host => Endpoint.Host;

    public TlsSettings? Tls => Endpoint.Tls;

    /// <summary>TLS from the --tls* flags and DOCKER_TLS_VERIFY/DOCKER_CERT_PATH: the default context's.</summary>
    public TlsSettings? FlagTls => TlsSettings.From(_global.Bool("tls"), _global.OptionalBool("tlsverify"),
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

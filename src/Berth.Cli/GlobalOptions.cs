using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>The flags before the command name (<c>berth -H tcp://... ps</c>), as docker's root command has them.</summary>
public static class GlobalOptions
{
    public static readonly IReadOnlyList<FlagSpec> Flags =
    [
        FlagSpec.String("config", null, "Location of client config files"),
        FlagSpec.String("context", 'c', "Name of the context to use to connect to the daemon"),
        FlagSpec.Bool("debug", 'D', "Enable debug mode"),
        FlagSpec.List("host", 'H', "Daemon socket to connect to"),
        FlagSpec.String("log-level", 'l', "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")", "info"),
        FlagSpec.Bool("tls", null, "Use TLS; implied by --tlsverify"),
        FlagSpec.String("tlscacert", null, "Trust certs signed only by this CA"),
        FlagSpec.String("tlscert", null, "Path to TLS certificate file"),
        FlagSpec.String("tlskey", null, "Path to TLS key file"),
        FlagSpec.Bool("tlsverify", null, "Use TLS and verify the remote"),
        FlagSpec.Bool("version", 'v', "Print version information and quit"),
    ];
}

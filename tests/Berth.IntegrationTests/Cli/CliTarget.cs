using System.Text.RegularExpressions;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Cli;

/// <summary>
/// The daemon the CLI comparison tests talk to, with the berth binary and the real docker CLI side by side on it:
/// both clients must print the same thing for the same daemon. By default a berthd of the test's own
/// (see <see cref="CliFixture"/>); $BERTH_CLI_TEST_HOST points the tests at another daemon, e.g. the reference dockerd.
/// </summary>
public sealed partial class CliTarget(string host, string dockerConfig)
{
    public string Host { get; } = host;

    /// <summary>The daemon named by $BERTH_CLI_TEST_HOST, or null to start one.</summary>
    public static string? ConfiguredHost { get; } =
        Environment.GetEnvironmentVariable("BERTH_CLI_TEST_HOST") is { Length: > 0 } host ? host : null;

    /// <summary>The berth binary: the NativeAOT build in $BERTH_BIN_DIR or out/bin, else the apphost of a plain build.</summary>
    public static string? BerthPath { get; } = FindBerth();

    private static string? FindBerth()
    {
        var candidates = new List<string> { BerthBinaries.Cli };
        foreach (var configuration in new[] { "Release", "Debug" })
            candidates.Add(Path.Combine(BerthBinaries.RepoRoot, "src", "Berth.Cli", "bin", configuration, "net10.0", "berth"));
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Why these tests cannot run here, or null.</summary>
    public static string? SkipReason
    {
        get
        {
            if (BerthPath is null)
                return "the berth binary is not built (scripts/build.sh or dotnet build src/Berth.Cli)";
            if (!File.Exists(BerthBinaries.DockerCli))
                return "the docker CLI is not installed";
            return null;
        }
    }

    private Dictionary<string, string> Environment_ => new()
    {
        ["DOCKER_HOST"] = Host, ["BERTH_HOST"] = Host, ["DOCKER_CONFIG"] = dockerConfig,
    };

    public Task<CommandResult> BerthAsync(params string[] args) => Commands.RunAsync(BerthPath!, args, Environment_);

    public Task<CommandResult> BerthWithInputAsync(string stdin, params string[] args)
        => Commands.RunAsync(BerthPath!, args, Environment_, stdin);

    public Task<CommandResult> DockerAsync(params string[] args) => Commands.RunAsync(BerthBinaries.DockerCli, args, Environment_);

    public Task<CommandResult> DockerWithInputAsync(string stdin, params string[] args)
        => Commands.RunAsync(BerthBinaries.DockerCli, args, Environment_, stdin);

    /// <summary>A name no other test (or helper sharing the daemon) uses.</summary>
    public static string UniqueName(string purpose) => $"berth-cli-{purpose}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>docker's words in berth's mouth: the program name differs, nothing else may.</summary>
    public static string AsBerth(string dockerText) => dockerText.Replace("docker", "berth", StringComparison.Ordinal);

    /// <summary>Replaces the parts of a table that move with the clock ("3 seconds ago", "Up 2 seconds").</summary>
    public static string WithoutTimes(string text)
        => TimePattern().Replace(text, "<time>");

    [GeneratedRegex(@"(Less than a second|About a minute|About an hour|\d+ (second|minute|hour|day|week|month|year)s?)( ago)?")]
    private static partial Regex TimePattern();

    /// <summary>
    /// A table's rows as cells (split on docker's 3-space column gaps), so widths that follow a time don't matter.
    /// Rows after the header are sorted: daemons list objects created in the same second in no fixed order.
    /// </summary>
    public static List<string> Cells(string table)
    {
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => string.Join(" | ", CellGap().Split(WithoutTimes(line).TrimEnd())))
            .ToList();
        return rows.Count == 0 ? rows : [rows[0], .. rows.Skip(1).Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@" {3,}")]
    private static partial Regex CellGap();
}

/// <summary>A CLI comparison test; skipped, with the reason, when berth, docker or the daemon is missing.</summary>
public sealed class CliFactAttribute : FactAttribute
{
    public CliFactAttribute()
    {
        if (CliTarget.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>A CLI comparison theory; skipped, with the reason, when berth, docker or the daemon is missing.</summary>
public sealed class CliTheoryAttribute : TheoryAttribute
{
    public CliTheoryAttribute()
    {
        if (CliTarget.SkipReason is { } reason)
            Skip = reason;
    }
}

namespace Berth.Compose.Model;

/// <summary>What the model reader needs besides the merged, interpolated document.</summary>
/// <param name="ProjectName">The normalized project name (prefix of network and volume names).</param>
/// <param name="WorkingDirectory">The project directory, against which relative paths resolve.</param>
/// <param name="ConfigFiles">The files loaded, absolute.</param>
/// <param name="Profiles">The active profiles (COMPOSE_PROFILES and --profile); "*" activates all.</param>
/// <param name="Lookup">A variable's value: the shell's environment first, then the project's .env file.</param>
public sealed record ModelReaderContext(
    string ProjectName,
    string WorkingDirectory,
    IReadOnlyList<string> ConfigFiles,
    IReadOnlyList<string> Profiles,
    Func<string, string?> Lookup);

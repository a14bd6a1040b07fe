using Berth.Api;
using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Engine.Images;
using Berth.Oci.Errors;

namespace Berth.Build.Execution;

/// <summary>
/// The classic builder: runs a Dockerfile's instructions one by one, each committed as an image whose parent is the
/// previous step's (so the next build finds it in the cache), RUN steps in containers of their own, the rest written
/// straight to the image store. Multi-stage builds keep each stage's result for FROM and COPY --from.
/// (Partial: the instruction kinds are in Builder.Run.cs, Builder.Copy.cs and Builder.Metadata.cs.)
/// </summary>
public sealed partial class Builder
{
    // Proxy settings a RUN may read without an ARG (Docker's predefined args); never part of the cache key.
    private static readonly HashSet<string> PredefinedArgs = new(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly BuildBackend _backend;
    private readonly BuildOptions _options;
    private readonly ContextFiles _context;
    private readonly BuildOutput _output;
    private readonly char _escape;
    private readonly Dictionary<string, string?> _metaArgs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _declaredArgs = new(StringComparer.Ordinal);
    private readonly List<StageState> _stages = [];
    private readonly string _tempDir;

    private Builder(BuildBackend backend, BuildOptions options, ContextFiles context, char escape, IProgress<JsonMessage> progress, string tempDir)
    {
        _backend = backend;
        _options = options;
        _context = context;
        _escape = escape;
        _output = new BuildOutput(progress, options.Quiet);
        _tempDir = tempDir;
    }

    /// <summary>Builds the Dockerfile's target stage (or its last) and tags the result; returns the image.</summary>
    public static async Task<Image> BuildAsync(BuildBackend backend, BuildOptions options, ContextFiles context, DockerfileDocument dockerfile,
        IProgress<JsonMessage> progress, CancellationToken cancellationToken)
    {
        string tempDir = backend.NewTempDir();
        try
        {
            var builder = new Builder(backend, options, context, dockerfile.EscapeToken, progress, tempDir);
            return await builder.RunAsync(dockerfile.Instructions, cancellationToken);
        }
        finally
        {
            Directory.Delete(tempDir, recursive: true);
        }
    }

    private async Task<Image> RunAsync(IReadOnlyList<Instruction> instructions, CancellationToken cancellationToken)
    {
        var (meta, stages) = Split(instructions);
        int last = stages.Count - 1;
        if (_options.Target is { } target)
        {
            last = stages.FindIndex(s => string.Equals(StageName(s[0]), target, StringComparison.OrdinalIgnoreCase));
            if (last < 0) throw BerthException.Invalid($"failed to reach build target {target} in Dockerfile");
        }
        // --label: one LABEL step per label at the end of the stage built, as Docker adds them.
        stages[last].AddRange(_options.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new Instruction("LABEL", $"LABEL {l.Key}={l.Value}", [], $"{QuoteWord(l.Key)}={QuoteWord(l.Value)}", null, 0)));
        int total = meta.Count + stages.Take(last + 1).Sum(s => s.Count);
        int step = 0;

        foreach (var arg in meta)
        {
            _output.Step(++step, total, arg.Original);
            foreach (var (name, defaultValue) in KeyValueArguments.ParseArgs(arg.Arguments, MetaLookup, _escape))
            {
                _declaredArgs.Add(name);
                _metaArgs[name] = _options.BuildArgs.TryGetValue(name, out var given) && given is not null ? given : defaultValue;
            }
        }

        StageState? stage = null;
        for (int index = 0; index <= last; index++)
        {
            if (stage?.Image is { } previous) _output.StageImage(previous.Id);
            var instructionsOfStage = stages[index];
            _output.Step(++step, total, instructionsOfStage[0].Original);
            stage = await FromAsync(instructionsOfStage[0], cancellationToken);
            _stages.Add(stage);
            foreach (var instruction in instructionsOfStage.Skip(1))
            {
                _output.Step(++step, total, instruction.Original);
                await DispatchAsync(stage, instruction, cancellationToken);
            }
        }

        var image = stage!.Image ?? throw BerthException.Invalid("No image was generated. Is your Dockerfile empty?");
        _output.StageImage(image.Id);
        var unused = _options.BuildArgs.Keys.Where(k => !_declaredArgs.Contains(k) && !PredefinedArgs.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unused.Count > 0) _output.Text($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed\n");
        if (_options.Quiet)
        {
            _output.Final(image.Id + "\n");
        }
        else
        {
            _output.Text($"Successfully built {BuildOutput.ShortId(image.Id)}\n");
        }
        foreach (var tag in _options.Tags)
        {
            _backend.Images.Tag(image.Id, tag.ToString(), null);
            _output.Text($"Successfully tagged {tag.FamiliarString}\n");
        }
        return _backend.Images.Store.TryGet(image.Id) ?? image;
    }

    /// <summary>
    /// The ARGs before the first FROM, and the stages, each starting with its FROM (the parser let nothing but ARGs
    /// come before the first).
    /// </summary>
    private static (List<Instruction> Meta, List<List<Instruction>> Stages) Split(IReadOnlyList<Instruction> instructions)
    {
        var meta = new List<Instruction>();
        var stages = new List<List<Instruction>>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM") stages.Add([instruction]);
            else if (stages.Count > 0) stages[^1].Add(instruction);
            else meta.Add(instruction);
        }
        if (stages.Count == 0) throw BerthException.Invalid("dockerfile parse error: no build stage in current context");
        return (meta, stages);
    }

    private static string? StageName(Instruction from)
    {
        var words = from.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
    }

    /// <summary>A word in double quotes as the Dockerfile's lexer reads it back: no expansion, nothing lost.</summary>
    private string QuoteWord(string text)
    {
        var quoted = new System.Text.StringBuilder("\"");
        foreach (char c in text)
        {
            if (c is '"' or '$' || c == _escape) quoted.Append(_escape);
            quoted.Append(c);
        }
        return quoted.Append('"').ToString();
    }

    private string? MetaLookup(string name) => _metaArgs.TryGetValue(name, out var value) ? value : null;

    private Task DispatchAsync(StageState stage, Instruction instruction, CancellationToken cancellationToken) => instruction.Keyword switch
    {
        "RUN" => RunStepAsync(stage, instruction, cancellationToken),
        "COPY" or "ADD" => CopyStepAsync(stage, instruction, cancellationToken),
        "WORKDIR" => WorkdirStepAsync(stage, instruction, cancellationToken),
        _ => MetadataStepAsync(stage, instruction, cancellationToken),
    };
}

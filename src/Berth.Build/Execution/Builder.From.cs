using Berth.Build.Dockerfile;
using Berth.Engine.Images;
using Berth.Oci.Errors;

namespace Berth.Build.Execution;

public sealed partial class Builder
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// FROM: an earlier stage by name, scratch, or an image (pulled when missing, or always with --pull); then the
    /// base image's ONBUILD triggers run, as Docker runs them, before the stage's own instructions.
    /// </summary>
    private async Task<StageState> FromAsync(Instruction from, CancellationToken cancellationToken)
    {
        var words = ShellWords.ExpandWords(from.Arguments, MetaLookup, _escape);
        if (words.Count is not (1 or 3) || (words.Count == 3 && !words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)))
            throw BerthException.Invalid("FROM requires either one or three arguments");
        // The stage name itself was checked with the Dockerfile.
        string? name = words.Count == 3 ? words[2].ToLowerInvariant() : null;
        string baseName = words[0];
        if (baseName.Length == 0) throw BerthException.Invalid("base name (" + from.Arguments + ") should not be blank");

        Image? image;
        var earlier = _stages.LastOrDefault(s => string.Equals(s.Name, baseName, StringComparison.OrdinalIgnoreCase));
        if (earlier is not null) image = earlier.Image;
        else if (baseName.Equals("scratch", StringComparison.OrdinalIgnoreCase)) image = null;
        else image = await BaseImageAsync(baseName, cancellationToken);

        if (image is not null) _output.Image(image.Id);
        else _output.Arrow("");
        var stage = new StageState(name, image, StageState.Copy(image?.Config.Config));
        // As Docker's builder: a stage whose base sets no PATH (scratch, an imported image) gets the default one.
        if (stage.Config.Env?.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)) != true)
            (stage.Config.Env ??= []).Add("PATH=" + DefaultPath);
        await RunTriggersAsync(stage, cancellationToken);
        return stage;
    }

    private async Task<Image> BaseImageAsync(string reference, CancellationToken cancellationToken)
    {
        var local = _options.Pull ? null : _backend.Images.Store.TryResolve(reference);
        if (local is not null) return local;
        await _backend.PullAsync(reference, _output.PullProgress, cancellationToken);
        return _backend.Images.Store.TryResolve(reference) ?? throw BerthException.NotFound($"No such image: {reference}");
    }

    private async Task RunTriggersAsync(StageState stage, CancellationToken cancellationToken)
    {
        if (stage.Config.OnBuild is not { Count: > 0 } triggers) return;
        stage.Config.OnBuild = null;
        _output.Text($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? "" : "s")}\n");
        foreach (string trigger in triggers)
        {
            var instruction = DockerfileParser.ParseLine(trigger, _escape, 0);
            if (instruction.Keyword is "ONBUILD" or "FROM" or "MAINTAINER")
                throw BerthException.Invalid($"{instruction.Keyword} isn't allowed as an ONBUILD trigger");
            await DispatchAsync(stage, instruction, cancellationToken);
        }
    }
}

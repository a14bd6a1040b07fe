using Berth.Api;

namespace Berth.Build.Execution;

/// <summary>
/// The build's JSON-message stream as the classic builder writes it: step headers, " ---> " lines, the RUN
/// containers' output, and the image ID of each finished stage as an "aux" message. Quiet builds send none of it
/// (only the final ID, which <see cref="Final"/> writes either way).
/// </summary>
internal sealed class BuildOutput(IProgress<JsonMessage> sink, bool quiet)
{
    public void Text(string text)
    {
        if (!quiet) sink.Report(new JsonMessage { Stream = text });
    }

    public void Step(int number, int total, string instruction)
    {
        // Docker sends the header and its line end as two messages.
        Text($"Step {number}/{total} : {instruction}");
        Text("\n");
    }

    public void Arrow(string text) => Text($" ---> {text}\n");

    public void Image(string imageId) => Arrow(ShortId(imageId));

    public void StageImage(string imageId)
    {
        if (quiet) return;
        sink.Report(new JsonMessage { Aux = System.Text.Json.JsonSerializer.SerializeToElement(new BuildResultAux { ID = imageId }, ApiJson.Context.BuildResultAux) });
    }

    public void Final(string text) => sink.Report(new JsonMessage { Stream = text });

    /// <summary>Where the pull of a FROM image reports its progress: the client, unless the build is quiet.</summary>
    public IProgress<JsonMessage> PullProgress => quiet ? new Progress<JsonMessage>() : sink;

    public static string ShortId(string imageId) => (imageId.StartsWith("sha256:", StringComparison.Ordinal) ? imageId[7..] : imageId)[..12];
}

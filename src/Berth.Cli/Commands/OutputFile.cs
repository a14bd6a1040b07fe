using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary>Where save and export write: the -o file, or stdout unless it is a terminal (docker refuses that).</summary>
public static class OutputFile
{
    public static async Task WriteAsync(CliContext context, string? path, Stream source)
    {
        if (string.IsNullOrEmpty(path))
        {
            if (NativeTerminal.IsTerminal(1))
                throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            context.FlushOut();
            await source.CopyToAsync(context.StdoutStream, context.Cancellation);
            await context.StdoutStream.FlushAsync(context.Cancellation);
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new CliException($"failed to save image: invalid output path: directory \"{directory}\" does not exist");
        // Write beside the target and rename, so a failed transfer never leaves a truncated file under the name.
        var temporary = path + ".berth-tmp";
        try
        {
            await using (var file = File.Create(temporary))
                await source.CopyToAsync(file, context.Cancellation);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

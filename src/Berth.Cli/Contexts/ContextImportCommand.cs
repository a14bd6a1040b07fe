using System.Formats.Tar;
using Berth.Client;
using Berth.Client.Contexts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Contexts;

/// <summary><c>context import</c>: a context archive written by <c>context export</c> (docker's or berth's), under a new name.</summary>
public static class ContextImportCommand
{
    public static readonly CommandSpec Spec = new("import", "CONTEXT FILE|-", "Import a context from a tar or zip file",
        [], ArgRule.Exactly(2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        var source = flags.Positionals[1];
        var store = context.Contexts;
        ContextStore.ValidateNewName(name);
        if (store.Exists(name))
            throw new CliException($"context \"{name}\" already exists");

        DockerContext? imported = null;
        var tlsFiles = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var input = source == "-" ? context.Stdin : OpenFile(source))
        {
            using var reader = new TarReader(input, leaveOpen: true);
            try
            {
                // docker's own archives end without the closing zero blocks, which TarReader reports as a truncated stream.
                while (await reader.GetNextEntryAsync(copyData: true, context.Cancellation) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                        continue;
                    using var content = new MemoryStream();
                    await entry.DataStream.CopyToAsync(content, context.Cancellation);
                    if (entry.Name == "meta.json")
                        imported = DockerContext.FromJson(Json.Parse(content.ToArray()));
                    else if (entry.Name.StartsWith("tls/docker/", StringComparison.Ordinal)
                             && ContextStore.TlsFileNames.Contains(entry.Name["tls/docker/".Length..]))
                        tlsFiles[entry.Name["tls/docker/".Length..]] = content.ToArray();
                }
            }
            catch (EndOfStreamException) when (imported is not null)
            {
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
            {
                throw new CliException($"invalid context archive: {e.Message}");
            }
        }
        if (imported is null)
            throw new CliException("invalid context: no metadata found");
        store.Save(imported with { Name = name });
        store.SaveTls(name, tlsFiles);
        context.Out.Write(name + "\n");
        context.FlushOut();
        context.Err.Write($"Successfully imported context \"{name}\"\n");
        return 0;
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException($"open {path}: no such file or directory");
        }
    }
}

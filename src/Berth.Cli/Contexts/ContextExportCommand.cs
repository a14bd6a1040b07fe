using System.Formats.Tar;
using Berth.Client;
using Berth.Client.Contexts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Contexts;

/// <summary>
/// <c>context export</c>: docker's context archive (<c>meta.json</c>, then <c>tls/docker/*.pem</c>, owned by root
/// at time zero) to FILE, to stdout with "-", or to <c>NAME.dockercontext</c>.
/// </summary>
public static class ContextExportCommand
{
    public static readonly CommandSpec Spec = new("export", "[OPTIONS] CONTEXT [FILE|-]", "Export a context to a tar archive FILE or a tar stream on STDOUT.",
        [], ArgRule.Between(1, 2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        var described = name == DockerContext.DefaultName ? ContextDescriptions.Default(context) : context.Contexts.Get(name);
        var tlsFiles = name == DockerContext.DefaultName ? [] : context.Contexts.ReadTls(name);
        var target = flags.Positionals.Count > 1 ? flags.Positionals[1] : name + ".dockercontext";
        using var archive = new MemoryStream();
        await WriteArchiveAsync(archive, described, tlsFiles, context.Cancellation);
        archive.Position = 0;
        if (target == "-")
        {
            context.FlushOut();
            await archive.CopyToAsync(context.StdoutStream, context.Cancellation);
            await context.StdoutStream.FlushAsync(context.Cancellation);
            return 0;
        }
        await using (var file = File.Create(target))
            await archive.CopyToAsync(file, context.Cancellation);
        context.Err.Write($"Written file \"{target}\"\n");
        return 0;
    }

    public static async Task WriteArchiveAsync(Stream output, DockerContext described, IReadOnlyDictionary<string, byte[]> tlsFiles,
        CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        await writer.WriteEntryAsync(Entry(TarEntryType.RegularFile, "meta.json", Json.SerializeToUtf8(described.ToJson()), ReadableFile), cancellationToken);
        if (tlsFiles.Count == 0)
            return;
        await writer.WriteEntryAsync(Entry(TarEntryType.Directory, "tls", null, PrivateDirectory), cancellationToken);
        await writer.WriteEntryAsync(Entry(TarEntryType.Directory, "tls/docker", null, PrivateDirectory), cancellationToken);
        foreach (var file in ContextStore.TlsFileNames.Where(tlsFiles.ContainsKey))
            await writer.WriteEntryAsync(Entry(TarEntryType.RegularFile, "tls/docker/" + file, tlsFiles[file], PrivateFile), cancellationToken);
    }

    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;
    private const UnixFileMode ReadableFile = PrivateFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static UstarTarEntry Entry(TarEntryType type, string name, byte[]? content, UnixFileMode mode)
    {
        var entry = new UstarTarEntry(type, name) { Mode = mode, ModificationTime = DateTimeOffset.UnixEpoch };
        if (content is not null)
            entry.DataStream = new MemoryStream(content);
        return entry;
    }
}

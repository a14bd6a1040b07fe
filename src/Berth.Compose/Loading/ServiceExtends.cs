using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>
/// A service's <c>extends</c>: the base service (from the same document, or from another file read with the same
/// variables) is resolved first, itself possibly extending another, then the extending service is merged over it
/// with the rules of multiple -f files. Everything of the base is kept, depends_on, links and volumes_from included.
/// A base from another directory has its relative paths made absolute, as they were relative to its own file.
/// </summary>
internal sealed class ServiceExtends
{
    private readonly Func<string, string?> _lookup;
    private readonly Dictionary<string, Source> _otherFiles = new(StringComparer.Ordinal);

    private ServiceExtends(Func<string, string?> lookup) => _lookup = lookup;

    /// <summary>Where services are read from: a file's services, and the directory its relative paths start from.</summary>
    private sealed record Source(string File, string Directory, JsonObject Services);

    /// <summary>Replaces every extending service of <paramref name="document"/> by its resolved definition.</summary>
    /// <param name="file">The document's file, named in errors ("-" for the standard input).</param>
    /// <param name="directory">The project directory: relative paths in the document, extends.file included, start there.</param>
    public static void Apply(JsonObject document, string file, string directory, Func<string, string?> lookup)
    {
        if (document["services"] is not JsonObject services)
            return;
        var resolver = new ServiceExtends(lookup);
        var source = new Source(file, directory, services);
        // Resolved from the document as written, then swapped in, so each base is read before anything changes it.
        var resolved = services
            .Where(entry => entry.Value is JsonObject service && service.ContainsKey("extends"))
            .Select(entry => (entry.Key, Service: resolver.Resolve(source, entry.Key, [])))
            .ToList();
        foreach (var (name, service) in resolved)
            services[name] = service;
    }

    /// <param name="chain">The services being resolved on the way here, to name a cycle.</param>
    private JsonObject Resolve(Source source, string name, IReadOnlyList<(string File, string Service)> chain)
    {
        if (chain.Contains((source.File, name)))
            throw new ComposeException("circular reference with extends: " + string.Join(" -> ",
                chain.Append((File: source.File, Service: name)).Select(link => $"service \"{link.Service}\" in {link.File}")));
        var service = source.Services[name]?.DeepClone() as JsonObject ?? [];
        if (!service.TryGetPropertyValue("extends", out var extends))
            return service;
        service.Remove("extends");
        if (extends is null)
            return service;

        var (baseName, baseFile) = ReadExtends(extends, name);
        var baseSource = baseFile is null ? source : OtherFile(ComposeFileReader.ExistingFile(baseFile, source.Directory));
        if (!baseSource.Services.ContainsKey(baseName))
            throw new ComposeException($"cannot extend service \"{name}\" in {baseSource.File}: service \"{baseName}\" not found");

        var baseService = Resolve(baseSource, baseName, [.. chain, (source.File, name)]);
        if (baseSource.Directory != source.Directory)
            RelativePaths.ResolveService(baseService, baseSource.Directory);
        return ServiceMerger.Merge(baseService, service);
    }

    /// <summary><c>extends: base</c>, or <c>extends: {service: base, file: other.yaml}</c>.</summary>
    private static (string Service, string? File) ReadExtends(JsonNode extends, string name)
    {
        if (MergeForms.Text(extends) is { } shortForm)
            return (shortForm, null);
        if (extends is JsonObject longForm && MergeForms.Text(longForm["service"]) is { Length: > 0 } service)
            return (service, MergeForms.Text(longForm["file"]));
        throw new ComposeException(
            $"services.{name}.extends must be a service name or a mapping with a service (and optionally a file)");
    }

    /// <summary>Another file's services, read once, interpolated with the project's variables.</summary>
    private Source OtherFile(string path)
    {
        if (!_otherFiles.TryGetValue(path, out var source))
        {
            var services = ComposeFileReader.ReadMerged(path, _lookup)["services"] as JsonObject ?? [];
            source = new Source(path, Path.GetDirectoryName(path)!, services);
            _otherFiles[path] = source;
        }
        return source;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>
/// The X-Docker-Container-Path-Stat of a path in a container. <see cref="Mode"/> is Go's os.FileMode (type bits high,
/// permissions low), as the daemon sends it.
/// </summary>
public sealed record ContainerPathStat(string Name, long Size, uint Mode, string LinkTarget)
{
    private const uint GoModeDir = 1u << 31, GoModeSymlink = 1u << 27, GoModeTypeMask = 0x8F280000;

    public bool IsDirectory => (Mode & GoModeDir) != 0;
    public bool IsSymlink => (Mode & GoModeSymlink) != 0;
    /// <summary>A regular file: none of Go's type bits is set.</summary>
    public bool IsRegular => (Mode & GoModeTypeMask) == 0;

    internal static ContainerPathStat? FromHeader(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-Docker-Container-Path-Stat", out var values)) return null;
        var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(values.First())));
        return new ContainerPathStat(node.Str("name"), node.Long("size"), (uint)node.Long("mode"), node.Str("linkTarget"));
    }
}

public sealed partial class EngineClient
{
    /// <summary>HEAD /containers/{id}/archive: the stat of a path in the container.</summary>
    public async Task<ContainerPathStat> StatContainerPathAsync(string id, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Head, $"/containers/{Escape(id)}/archive", new QueryString().Add("path", path), null, cancellationToken);
        return ContainerPathStat.FromHeader(response) ?? throw new InvalidOperationException("the daemon sent no X-Docker-Container-Path-Stat header");
    }

    /// <summary>GET /containers/{id}/archive: a tar of the path, and the path's stat.</summary>
    public async Task<(Stream Archive, ContainerPathStat Stat)> GetArchiveAsync(string id, string path, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, $"/containers/{Escape(id)}/archive", new QueryString().Add("path", path), null, cancellationToken);
        var stat = ContainerPathStat.FromHeader(response);
        if (stat is null)
        {
            response.Dispose();
            throw new InvalidOperationException("the daemon sent no X-Docker-Container-Path-Stat header");
        }
        return (new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken)), stat);
    }

    /// <summary>PUT /containers/{id}/archive: extracts a tar into the directory <paramref name="path"/> of the container.</summary>
    public async Task PutArchiveAsync(string id, string path, Stream archive, bool copyUidGid, CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("path", path).Add("noOverwriteDirNonDir", "true").Add("copyUIDGID", copyUidGid ? "true" : "false");
        using var content = new StreamContent(archive, 1 << 16);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        using var response = await SendAsync(HttpMethod.Put, $"/containers/{Escape(id)}/archive", query, content, cancellationToken);
    }
}

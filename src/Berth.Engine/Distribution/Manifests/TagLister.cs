using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Engine.Distribution.Http;

namespace Berth.Engine.Distribution.Manifests;

/// <summary>GET /v2/&lt;name&gt;/tags/list, following the Link header's pages (for <c>docker pull --all-tags</c>).</summary>
public static class TagLister
{
    private const int MaxPages = 1000;

    public static async Task<IReadOnlyList<string>> ListAsync(RegistrySession session, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        Uri? next = session.RepositoryUri("tags/list");
        for (int page = 0; next is not null && page < MaxPages; page++)
        {
            using var response = await session.SendAsync(u => new HttpRequestMessage(HttpMethod.Get, u), next, cancellationToken);
            if (!response.IsSuccessStatusCode) throw await RegistryException.FromResponseAsync(response, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            TagList? list;
            try
            {
                list = await JsonSerializer.DeserializeAsync(body, TagListJsonContext.Default.TagList, cancellationToken);
            }
            catch (JsonException e)
            {
                throw new RegistryException($"invalid tag list from {session.Endpoint}: {e.Message}");
            }
            tags.AddRange(list?.Tags ?? []);
            next = NextPage(session, response);
        }
        return tags;
    }

    /// <summary>RFC 5988 <c>Link: &lt;/v2/x/tags/list?last=a&amp;n=100&gt;; rel="next"</c>.</summary>
    private static Uri? NextPage(RegistrySession session, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        foreach (string link in links)
        {
            int open = link.IndexOf('<'), close = link.IndexOf('>');
            if (open < 0 || close < open || !link.Contains("rel=\"next\"", StringComparison.Ordinal)) continue;
            return new Uri(session.Endpoint.BaseUri, link[(open + 1)..close]);
        }
        return null;
    }
}

public sealed class TagList
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
}

[JsonSerializable(typeof(TagList))]
internal sealed partial class TagListJsonContext : JsonSerializerContext;

using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Berth.Registry.Distribution;
using Microsoft.AspNetCore.Http;

namespace Berth.Registry.Http;

/// <summary>
/// The registry v1 search API that Docker's daemon calls for <c>docker search host/term</c>
/// (<c>GET /v1/search?q=&amp;n=&amp;page=</c>), answered in Docker Hub's shape over the repositories of the catalog. The
/// registry keeps no stars, descriptions or official marks, so those are zero, empty and false.
/// </summary>
public sealed class SearchEndpoint(RegistryServices services)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    public Task SearchAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string term = query["q"].ToString();
        int pageSize = Math.Min(Number(query["n"], "n", DefaultPageSize), MaxPageSize);
        int page = Number(query["page"], "page", 1);
        var matches = Match(services.Storage.ListRepositories(), term);
        var onPage = matches.Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue)).Take(pageSize);

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("num_pages", (matches.Count + pageSize - 1) / pageSize);
            writer.WriteNumber("num_results", matches.Count);
            writer.WriteNumber("page_size", pageSize);
            writer.WriteNumber("page", page);
            writer.WriteString("query", term);
            writer.WriteStartArray("results");
            foreach (string name in onPage)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("description", "");
                writer.WriteNumber("star_count", 0);
                writer.WriteBoolean("is_official", false);
                writer.WriteBoolean("is_automated", false);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Responses.WriteAsync(context.Response, StatusCodes.Status200OK, "application/json; charset=utf-8", buffer.WrittenMemory);
    }

    /// <summary>Repositories whose name holds the term, ignoring case (an empty term matches all), in catalog order.</summary>
    public static List<string> Match(List<string> repositories, string term) =>
        term.Length == 0 ? repositories : repositories.Where(name => name.Contains(term, StringComparison.OrdinalIgnoreCase)).ToList();

    private static int Number(string? text, string parameter, int fallback)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            throw RegistryErrors.Create(ErrorCode.PaginationNumberInvalid, $"invalid search parameter {parameter}: \"{text}\"", StatusCodes.Status400BadRequest);
        return value;
    }
}

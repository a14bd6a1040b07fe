namespace Berth.Api;

/// <summary>{"Id": "..."} as answered by e.g. POST /commit and POST /exec/{id} creation.</summary>
public sealed class IdResponse
{
    public string Id { get; set; } = "";
}

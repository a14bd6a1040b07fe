using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.TestPlugin;

/// <summary>
/// An authorization plugin for the tests: denies any request whose URI or JSON body holds <c>forbidden</c>, and any
/// answer whose JSON body holds <c>topsecret</c>; appends each method and URI it is asked about to a log file.
/// </summary>
internal sealed class AuthzPlugin(string log)
{
    private const string DeniedRequestWord = "forbidden";
    private const string DeniedResponseWord = "topsecret";

    public PluginResponse Handle(string method, byte[] body)
    {
        if (method == "Plugin.Activate") return Answer(new AuthzAnswer { Implements = ["authz"] });
        var request = JsonSerializer.Deserialize(body, AuthzJsonContext.Default.AuthzAsk) ?? new AuthzAsk();
        lock (this) File.AppendAllText(log, $"{method} {request.RequestMethod} {request.RequestURI}\n");
        return method switch
        {
            "AuthZPlugin.AuthZReq" when Holds(request.RequestURI, request.RequestBody, DeniedRequestWord) =>
                Answer(new AuthzAnswer { Allow = false, Msg = $"{DeniedRequestWord} is not allowed" }),
            "AuthZPlugin.AuthZRes" when Holds("", request.ResponseBody, DeniedResponseWord) =>
                Answer(new AuthzAnswer { Allow = false, Msg = "the answer holds a secret" }),
            "AuthZPlugin.AuthZReq" or "AuthZPlugin.AuthZRes" => Answer(new AuthzAnswer { Allow = true }),
            _ => new PluginResponse(404, "{\"Err\":\"unknown method\"}"u8.ToArray()),
        };
    }

    private static bool Holds(string? uri, byte[]? body, string word) =>
        (uri ?? "").Contains(word, StringComparison.Ordinal) || (body is not null && Encoding.UTF8.GetString(body).Contains(word, StringComparison.Ordinal));

    private static PluginResponse Answer(AuthzAnswer answer) => new(200, JsonSerializer.SerializeToUtf8Bytes(answer, AuthzJsonContext.Default.AuthzAnswer));
}

internal sealed class AuthzAsk
{
    public string? RequestMethod { get; set; }
    public string? RequestURI { get; set; }
    public byte[]? RequestBody { get; set; }
    public byte[]? ResponseBody { get; set; }
}

internal sealed class AuthzAnswer
{
    public bool Allow { get; set; }
    public string? Msg { get; set; }
    public List<string>? Implements { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthzAsk))]
[JsonSerializable(typeof(AuthzAnswer))]
internal sealed partial class AuthzJsonContext : JsonSerializerContext;

using System.Text.Json.Nodes;
using Berth.GoTemplates;

namespace Berth.Tests.GoTemplates;

/// <summary>The data the template tests run on (shaped like a docker inspect document), and helpers.</summary>
internal static class Sample
{
    public const string Json = """
        {
            "Name": "/web",
            "ID": "abc123",
            "Port": 8080,
            "Size": 1048576,
            "Ratio": 0.25,
            "Big": 123456789012,
            "Neg": -5,
            "F": 1.5,
            "Tiny": 1e-05,
            "Huge": 1e+21,
            "FBig": 1234567.5,
            "Running": true,
            "Stopped": false,
            "Nil": null,
            "Empty": "",
            "Zero": 0,
            "Args": [
                "-c",
                "echo hi"
            ],
            "Nums": [
                3,
                1,
                2
            ],
            "Mixed": [
                "a",
                1,
                true,
                null,
                1.5
            ],
            "NoArgs": [],
            "Labels": {
                "b": "2",
                "a": "1",
                "com.docker.compose.project": "proj",
                "z": "<x&y>"
            },
            "EmptyMap": {},
            "State": {
                "Status": "running",
                "Running": true,
                "Pid": 42,
                "ExitCode": 0,
                "Health": null
            },
            "Mounts": [
                {
                    "Source": "/src",
                    "Destination": "/dst",
                    "RW": true
                },
                {
                    "Source": "/a",
                    "Destination": "/b",
                    "RW": false
                }
            ],
            "Networks": {
                "bridge": {
                    "IPAddress": "172.17.0.2"
                },
                "host": {
                    "IPAddress": ""
                }
            },
            "Uni": "héllo wörld",
            "Quote": "say \"hi\"\n\ttab",
            "Html": "<a href='x'>&</a>",
            "Nested": {
                "A": {
                    "B": {
                        "C": "deep"
                    }
                }
            }
        }
        """;

    public static JsonNode Data => JsonNode.Parse(Json)!;

    public static string Run(string template, string? json = null, bool strict = false) =>
        GoTemplate.Parse(template, Options(strict)).Execute(json is null ? Data : JsonNode.Parse(json));

    public static string ParseError(string template) =>
        Assert.Throws<TemplateException>(() => GoTemplate.Parse(template)).Message;

    public static string ExecutionError(string template, bool strict = false)
    {
        var parsed = GoTemplate.Parse(template, Options(strict));
        return Assert.Throws<TemplateException>(() => parsed.Execute(Data)).Message;
    }

    private static GoTemplateOptions Options(bool strict) =>
        new() { MissingKey = strict ? MissingKeyMode.Error : MissingKeyMode.Default };
}

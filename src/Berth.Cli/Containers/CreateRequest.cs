using System.Text.Json.Nodes;

namespace Berth.Cli.Containers;

/// <summary>What run/create send to <c>POST /containers/create</c>, plus the client-side choices around it.</summary>
public sealed record CreateRequest(
    JsonObject Body,
    string Image,
    string? Name,
    string? Platform,
    string PullPolicy,
    string? CidFile,
    bool Tty,
    bool AttachStdin,
    bool AttachStdout,
    bool AttachStderr,
    bool OpenStdin,
    bool AutoRemove);

using System.Text;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Containers;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// Exec (POST /containers/{id}/exec, /exec/{id}/start|resize, GET /exec/{id}/json), the container's TTY resize, and
/// pause/unpause (exec's 409 for paused containers depends on them).
/// A started exec's stdio is the hijacked connection, spliced to the shim like an attach.
/// </summary>
public static class ExecEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        var containers = services.Containers;
        app.MapPost("/containers/{id}/exec", async context =>
        {
            var body = await Json.ReadAsync(context, ApiJson.Context.ExecCreateRequest) ?? new ExecCreateRequest();
            DetachKeys.Parse(body.DetachKeys);
            var exec = containers.CreateExec(Id(context), body);
            await Json.WriteAsync(context, new ExecCreateResponse { Id = exec.Id }, ApiJson.Context.ExecCreateResponse, StatusCodes.Status201Created);
        });
        app.MapPost("/exec/{id}/start", context => Start(context, containers));
        app.MapPost("/exec/{id}/resize", async context =>
        {
            var (height, width) = Size(context);
            await containers.ResizeExecAsync(Id(context), height, width, context.RequestAborted);
        });
        app.MapGet("/exec/{id}/json", context =>
            Json.WriteAsync(context, Inspect(containers.GetExec(Id(context))), ApiJson.Context.ExecInspect));
        app.MapPost("/containers/{id}/pause", async context =>
        {
            await containers.PauseAsync(Id(context), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/containers/{id}/unpause", async context =>
        {
            await containers.UnpauseAsync(Id(context), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        app.MapPost("/containers/{id}/resize", async context =>
        {
            var (height, width) = Size(context);
            await containers.ResizeAsync(Id(context), height, width, context.RequestAborted);
        });
    }

    private static async Task Start(HttpContext context, ContainerService containers)
    {
        var request = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0
            ? await Json.ReadAsync(context, ApiJson.Context.ExecStartRequest) ?? new ExecStartRequest()
            : new ExecStartRequest();
        var exec = containers.GetExec(Id(context));
        if (exec.Started) throw BerthException.Conflict($"Exec command {exec.Id} has already run");
        if (request.Detach)
        {
            await containers.StartExecAsync(exec.Id, detach: true, request.ConsoleSize, context.RequestAborted);
            return;
        }

        var config = exec.Config;
        var (client, canRead) = await Hijack.AcceptAsync(context, Hijack.ContentTypeFor(context, config.Tty));
        ExecStarted started;
        try
        {
            started = await containers.StartExecAsync(exec.Id, detach: false, request.ConsoleSize, context.RequestAborted,
                AttachEndpoints.DirectOutputOf(client));
        }
        catch (BerthException e)
        {
            // Docker reports a start failure inside the hijacked stream; the client then reads exit code 126.
            await WriteErrorAsync(client, e.Message, config.Tty, context.RequestAborted);
            await client.DisposeAsync();
            return;
        }
        if (started.Stream is null)
        {
            await started.Exec.Finished.WaitAsync(context.RequestAborted);
            await client.DisposeAsync();
            return;
        }
        await AttachEndpoints.SpliceAsync(client, canRead && config.AttachStdin, started.Stream, Hijack.ClientFinished(context), context.RequestAborted,
            config.AttachStdin ? DetachKeys.Parse(config.DetachKeys) : null,
            beforeClose: () => started.Exec.Finished.WaitAsync(TimeSpan.FromSeconds(5)), tty: config.Tty);
    }

    private static async Task WriteErrorAsync(Stream client, string message, bool tty, CancellationToken cancellationToken)
    {
        byte[] text = Encoding.UTF8.GetBytes(message + "\r\n");
        try
        {
            if (!tty)
            {
                var header = new byte[8];
                header[0] = 1;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)text.Length);
                await client.WriteAsync(header, cancellationToken);
            }
            await client.WriteAsync(text, cancellationToken);
            await client.FlushAsync(cancellationToken);
        }
        catch (IOException)
        {
            // the client is gone
        }
    }

    public static ExecInspect Inspect(ExecRecord exec) => new()
    {
        ID = exec.Id,
        Running = exec.Running,
        ExitCode = exec.ExitCode,
        ProcessConfig = new ExecProcessConfig
        {
            Tty = exec.Config.Tty,
            Entrypoint = exec.Config.Cmd is [var first, ..] ? first : "",
            Arguments = exec.Config.Cmd is [_, .. var rest] ? rest : [],
            Privileged = exec.Config.Privileged,
            User = exec.Config.User.Length > 0 ? exec.Config.User : null,
        },
        OpenStdin = exec.Config.AttachStdin,
        OpenStderr = exec.Config.AttachStderr,
        OpenStdout = exec.Config.AttachStdout,
        CanRemove = false,
        ContainerID = exec.ContainerId,
        DetachKeys = exec.Config.DetachKeys.Length > 0 ? Convert.ToBase64String(DetachKeys.Parse(exec.Config.DetachKeys)) : "",
        Pid = exec.Pid,
    };

    /// <summary>h and w, both required, as Docker's (strconv.Atoi's message when missing or not a number).</summary>
    private static (int Height, int Width) Size(HttpContext context)
    {
        return (Parse("h"), Parse("w"));

        int Parse(string name)
        {
            string text = Query.String(context, name) ?? "";
            return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int value)
                ? value
                : throw BerthException.Invalid($"strconv.Atoi: parsing \"{text}\": invalid syntax");
        }
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;
}

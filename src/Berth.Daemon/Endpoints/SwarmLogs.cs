using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Logs;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// Service and task logs: the json-file logs of the tasks' containers, each line carrying its node, service and task
/// IDs as details (the docker CLI turns them into the "web.1.abc@node |" prefix). Followed logs of several tasks are
/// interleaved as they come, a whole chunk of frames at a time.
/// </summary>
internal static class SwarmLogs
{
    public static async Task WriteAsync(HttpContext context, DaemonServices services, IReadOnlyList<SwarmTask> tasks)
    {
        var query = LogEndpoints.ReadQuery(context, withUntil: false);
        bool follow = query.Follow;
        bool timestamps = Query.Bool(context, "timestamps");
        bool details = Query.Bool(context, "details");
        string self = services.Swarm.Store.Node?.ID ?? "";
        var containers = tasks
            .Select(t => (Task: t, Container: services.Containers.Store.TryGet(t.Status.ContainerStatus?.ContainerID ?? "")))
            .Where(p => p.Container is not null && p.Task.NodeID == self).ToList();
        // Tasks of worker nodes: their logs come from the node's daemon, through its tunnel.
        var remote = tasks.Where(t => t.NodeID != self && !string.IsNullOrEmpty(t.NodeID)
            && t.Status.ContainerStatus is { ContainerID.Length: > 0 }).ToList();
        bool tty = containers.Count > 0 && containers.All(p => p.Container!.Config.Tty);

        context.Response.ContentType = Hijack.ContentTypeFor(context, tty);
        await context.Response.StartAsync(context.RequestAborted);
        var output = new SerializedWrites(context.Response.Body);
        try
        {
            string? Attributes(SwarmTask task) => details
                ? $"com.docker.swarm.node.id={task.NodeID},com.docker.swarm.service.id={task.ServiceID},com.docker.swarm.task.id={task.ID}"
                : null;
            async Task One(SwarmTask task, Engine.Containers.ContainerRecord container)
            {
                await JsonFileLogReader.WriteFramesAsync(services.Containers.LogPathOf(container), query,
                    new LogOutputFormat(timestamps, tty, Attributes(task)), output,
                    () => services.Containers.Store.TryGet(container.Id)?.State.Running == true, context.RequestAborted);
            }
            Task Remote(SwarmTask task) => RemoteTaskLogs.CopyAsync(context, services, task, timestamps, Attributes(task), output);
            if (follow) await Task.WhenAll(containers.Select(p => One(p.Task, p.Container!)).Concat(remote.Select(Remote)));
            else
            {
                foreach (var (task, container) in containers) await One(task, container!);
                foreach (var task in remote) await Remote(task);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client stopped following
        }
    }

    /// <summary>One writer at a time on the response: each write is a whole chunk of frames from one task's log.</summary>
    private sealed class SerializedWrites(Stream inner) : Stream
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                await inner.WriteAsync(buffer, cancellationToken);
                await inner.FlushAsync(cancellationToken);
            }
            finally
            {
                _gate.Release();
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}

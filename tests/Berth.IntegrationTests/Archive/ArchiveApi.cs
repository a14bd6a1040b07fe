using System.Formats.Tar;
using System.Text;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Archive;

/// <summary>The archive endpoints as the tests call them, and tars made to order.</summary>
internal static class ArchiveApi
{
    public static Task<HttpResponseMessage> PutAsync(BerthDaemon daemon, string container, string path, byte[] tar) =>
        daemon.Http.PutAsync($"/v1.41/containers/{container}/archive?path={Uri.EscapeDataString(path)}", new ByteArrayContent(tar));

    public static Task<HttpResponseMessage> HeadAsync(BerthDaemon daemon, string container, string path) =>
        daemon.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1.41/containers/{container}/archive?path={Uri.EscapeDataString(path)}"));

    /// <summary>Waits until the container's own script has made <paramref name="path"/>.</summary>
    public static async Task WaitForAsync(BerthDaemon daemon, string container, string path)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var head = await HeadAsync(daemon, container, path);
            if (head.IsSuccessStatusCode) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{path} never appeared in {container}");
    }

    /// <summary>A detached busybox running <paramref name="script"/>; its short ID.</summary>
    public static async Task<string> RunAsync(BerthDaemon daemon, string script)
    {
        var result = await daemon.DockerAsync("run", "-d", "busybox", "sh", "-c", script);
        return result.EnsureSuccess().Stdout.Trim()[..12];
    }

    public static byte[] Tar(params (string Name, TarEntryType Type, string Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, type, data) in entries)
            {
                var entry = new PaxTarEntry(type, name) { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead };
                if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink) entry.LinkName = data;
                else if (type == TarEntryType.RegularFile) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(data));
                else if (type == TarEntryType.CharacterDevice) { entry.DeviceMajor = 1; entry.DeviceMinor = 3; }
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }
}

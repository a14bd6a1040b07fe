using System.Globalization;
using Berth.Api;
using Berth.Oci.Errors;
using Berth.Oci.Native;

namespace Berth.Engine.Swarm;

/// <summary>
/// The files a task's secrets and configs become, as swarm's executor makes them: each reference's data written with
/// the reference's owner and mode under <c>&lt;swarm&gt;/task-files/&lt;task&gt;</c> on the node that runs the task (a directory only root may enter),
/// and bind-mounted read-only at its target (/run/secrets/NAME for a secret, /NAME for a config, or an absolute path).
/// The files live as long as the task's container and go with it.
/// </summary>
public static class TaskSecretFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes the task's files and answers the container's mounts with theirs added (as they were when it has none).</summary>
    public static List<Mount>? Write(TaskSecretSource source, SwarmTask task, List<Mount>? mounts)
    {
        var container = ServiceSpecs.ContainerSpec(task.Spec);
        string directory = DirectoryOf(source.Root, task.ID);
        foreach (var kind in new[] { SwarmObjectKind.Secret, SwarmObjectKind.Config })
        {
            var references = SecretReferences.Read(kind, container);
            for (int i = 0; i < references.Count; i++)
            {
                var reference = references[i];
                if (reference.Target is null) continue; // a config's Runtime target is not a file
                var item = source.Lookup(kind, reference.Id)
                    ?? throw BerthException.NotFound($"{SwarmSecrets.Word(kind)} {reference.Name} not found");
                Directory.CreateDirectory(directory, OwnerOnly);
                string file = Path.Combine(directory, $"{SwarmSecrets.Word(kind)}-{i}");
                using (var stream = new FileStream(file, new FileStreamOptions
                {
                    Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }))
                {
                    stream.Write(SwarmSecrets.DataOf(item.Spec));
                }
                PosixFiles.ChangeOwner(file, Id(reference.Uid, "UID"), Id(reference.Gid, "GID"));
                PosixFiles.ChangeMode(file, (int)reference.Mode);
                (mounts ??= []).Add(new Mount
                {
                    Type = "bind", Source = file, Target = SecretReferences.ContainerPath(kind, reference.Target), ReadOnly = true,
                });
            }
        }
        return mounts;
    }

    /// <summary>Removes a task's files (nothing when it had none).</summary>
    public static void Remove(string root, string taskId)
    {
        string directory = DirectoryOf(root, taskId);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    private static string DirectoryOf(string root, string taskId) => Path.Combine(root, "task-files", taskId);

    /// <summary>A numeric owner, as the executor reads it (an empty one is root's).</summary>
    private static uint Id(string text, string what) =>
        text.Length == 0 ? 0
        : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint id) ? id
        : throw BerthException.Invalid($"invalid {what} \"{text}\" for a secret or config file: it must be a number");
}

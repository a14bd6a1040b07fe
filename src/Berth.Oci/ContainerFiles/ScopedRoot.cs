using System.Text;
using Berth.Oci.Errors;
using Berth.Oci.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Oci.ContainerFiles;

/// <summary>
/// A container's filesystem, held open by its root directory. Every path is resolved by the kernel (openat2 with
/// RESOLVE_IN_ROOT) as if this directory were "/": "..", absolute symlinks and relative ones that climb out all stay
/// inside, whatever the container's processes change meanwhile. Paths are container paths ("/etc/passwd").
/// </summary>
public sealed class ScopedRoot : IDisposable
{
    private const int MaxSymlinks = 255;

    private ScopedRoot(SafeFileHandle handle, string description, string hostPath)
    {
        Handle = handle;
        Description = description;
        HostPath = hostPath;
    }

    internal SafeFileHandle Handle { get; }

    /// <summary>Names the root in errors, e.g. "container web".</summary>
    public string Description { get; }

    /// <summary>The host path the root was opened from (e.g. /proc/PID/root).</summary>
    public string HostPath { get; }

    /// <summary>Opens <paramref name="hostPath"/> (e.g. /proc/PID/root of a running container) as the root.</summary>
    public static ScopedRoot Open(string hostPath, string description)
    {
        int fd = LibC.open(hostPath, LibC.OPath | LibC.ODirectory | LibC.OCloExec, 0);
        if (fd < 0) throw BerthException.Internal(PosixException.FromLastError("open", hostPath).Message);
        return new ScopedRoot(LibC.Handle(fd), description, hostPath);
    }

    /// <summary>
    /// Opens a path with the given open flags; symlinks in the last component are followed only when
    /// <paramref name="followLast"/>. Null when it does not exist.
    /// </summary>
    internal SafeFileHandle? TryOpen(string path, int flags, bool followLast)
    {
        var how = new LibC.OpenHow
        {
            Flags = (ulong)(flags | LibC.OCloExec | (followLast ? 0 : LibC.ONoFollow)),
            Resolve = LibC.ResolveInRoot | LibC.ResolveNoMagicLinks,
        };
        string relative = Relative(path);
        int fd = LibC.openat2(Handle, relative.Length == 0 ? "." : relative, ref how);
        if (fd >= 0) return LibC.Handle(fd);
        var error = PosixException.FromLastError("open", path);
        if (error.Errno is LibC.ENOENT or LibC.ENOTDIR) return null;
        if (error.Errno == LibC.ELOOP) throw BerthException.Invalid($"{path}: too many levels of symbolic links");
        throw error;
    }

    /// <summary>An O_PATH handle on the path itself (its last component not followed unless asked).</summary>
    internal SafeFileHandle? TryOpenPath(string path, bool followLast) => TryOpen(path, LibC.OPath, followLast);

    /// <summary>lstat (or stat when <paramref name="followLast"/>) of a container path; null when missing.</summary>
    public FileStatus? TryStat(string path, bool followLast)
    {
        using var handle = TryOpenPath(path, followLast);
        return handle is null ? null : StatOf(handle, path);
    }

    /// <summary>
    /// The path with every symlink resolved inside the root, as a container path; parts that do not exist are kept
    /// as written (Docker's FollowSymlinkInScope).
    /// </summary>
    public string Resolve(string path)
    {
        var pending = new LinkedList<string>(Components(path));
        var resolved = new List<string>();
        int links = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            string part = first.Value;
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = "/" + string.Join('/', resolved.Append(part));
            using var handle = TryOpenPath(candidate, followLast: false);
            if (handle is null || StatOf(handle, candidate).Kind != FileKind.Symlink)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxSymlinks) throw BerthException.Invalid($"{path}: too many levels of symbolic links");
            string target = ReadLink(handle, candidate);
            if (target.StartsWith('/')) resolved.Clear();
            foreach (var targetPart in Components(target).Reverse()) pending.AddFirst(targetPart);
        }
        return "/" + string.Join('/', resolved);
    }

    /// <summary>
    /// Opens the directory at <paramref name="path"/> (a container path, symlinks followed in scope), creating any
    /// missing directories on the way (0755, owned by <paramref name="uid"/>/<paramref name="gid"/>).
    /// </summary>
    internal SafeFileHandle OpenOrCreateDirectory(string path, uint uid, uint gid)
    {
        if (TryOpen(path, LibC.OPath | LibC.ODirectory, followLast: true) is { } existing) return existing;
        var parts = Components(path).Where(p => p is not ("" or ".")).ToList();
        SafeFileHandle? current = TryOpen("/", LibC.OPath | LibC.ODirectory, followLast: true)!;
        string walked = "";
        foreach (var part in parts)
        {
            walked += "/" + part;
            var next = TryOpen(walked, LibC.OPath | LibC.ODirectory, followLast: true);
            if (next is null)
            {
                if (part == "..") throw BerthException.Invalid($"{path}: no such directory");
                if (LibC.mkdirat(current, part, 0x1ed) != 0)
                {
                    var error = PosixException.FromLastError("mkdir", walked);
                    if (error.Errno != LibC.EEXIST) { current.Dispose(); throw error; }
                }
                else
                {
                    LibC.fchownat(current, part, uid, gid, LibC.AtSymlinkNoFollow);
                }
                // Opened through the root again: whatever is there now is resolved inside it.
                next = TryOpen(walked, LibC.OPath | LibC.ODirectory, followLast: true)
                    ?? throw BerthException.Invalid($"{TarQuote(walked)} is not a directory in {Description}");
            }
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>
    /// A handle on the directory or file at <paramref name="path"/> (resolved inside the root, created if missing) to
    /// mount onto through /proc/self/fd: a bind mount made there cannot be redirected by a symlink in the container.
    /// </summary>
    public SafeFileHandle OpenMountPoint(string path, bool directory)
    {
        if (directory) return OpenOrCreateDirectory(path, 0, 0);
        if (TryOpen(path, LibC.OPath, followLast: true) is { } existing) return existing;
        string relative = Relative(path);
        int slash = relative.LastIndexOf('/');
        using var parent = OpenOrCreateDirectory(slash < 0 ? "/" : "/" + relative[..slash], 0, 0);
        int fd = LibC.openat(parent, relative[(slash + 1)..], LibC.OWrOnly | LibC.OCreat | LibC.ONoFollow | LibC.OCloExec, 0x1a4);
        if (fd < 0) throw PosixException.FromLastError("create", path);
        LibC.Handle(fd).Dispose();
        return TryOpen(path, LibC.OPath, followLast: false) ?? throw BerthException.Internal($"{path} vanished in {Description}");
    }

    internal static FileStatus StatOf(SafeFileHandle handle, string what)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (LibC.statx(handle, "", LibC.AtEmptyPath | LibC.AtSymlinkNoFollow, LibC.StatxBasicStats, buffer) != 0)
            throw PosixException.FromLastError("stat", what);
        return FileStatus.FromStatx(buffer);
    }

    /// <summary>The target of the symlink an O_PATH handle holds.</summary>
    internal static string ReadLink(SafeFileHandle handle, string what)
    {
        var buffer = new byte[4096];
        nint length = LibC.readlinkat(handle, "", buffer, (nuint)buffer.Length);
        if (length < 0) throw PosixException.FromLastError("readlink", what);
        return Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    /// <summary>A container path as a path relative to the root ("" for the root itself), lexically cleaned.</summary>
    internal static string Relative(string path) => string.Join('/', Components(path).Where(p => p is not ("" or ".")));

    private static string[] Components(string path) => path.Split('/');

    private static string TarQuote(string value) => "\"" + value + "\"";

    public void Dispose() => Handle.Dispose();
}

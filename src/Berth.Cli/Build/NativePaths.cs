using System.Runtime.InteropServices;

namespace Berth.Cli.Build;

/// <summary>Go's filepath.EvalSymlinks, which docker applies to the context and Dockerfile paths: every link resolved.</summary>
internal static partial class NativePaths
{
    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void free(nint pointer);

    /// <summary>
    /// The absolute path with no symlink left in it. Throws <see cref="FileNotFoundException"/> with Go's wording
    /// ("lstat /first/missing/part: no such file or directory") when some part does not exist.
    /// </summary>
    public static string Resolve(string absolutePath)
    {
        nint resolved = realpath(absolutePath, 0);
        if (resolved != 0)
        {
            try
            {
                return Marshal.PtrToStringUTF8(resolved)!;
            }
            finally
            {
                free(resolved);
            }
        }
        throw new FileNotFoundException($"lstat {FirstMissing(absolutePath)}: no such file or directory");
    }

    /// <summary>The shortest prefix of the path that does not exist: the part Go names in its error.</summary>
    private static string FirstMissing(string absolutePath)
    {
        string current = "/";
        foreach (var part in absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Join(current, part);
            if (!Path.Exists(current) && new FileInfo(current).LinkTarget is null)
                return current;
        }
        return absolutePath;
    }
}

using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Http;

/// <summary>
/// The message of an unexpected exception, for a 500's body. berthd is trimmed with UseSystemResourceKeys (its size and
/// memory), so the runtime's own messages are resource keys with their arguments ("IO_PathNotFound_Path, /x"); the
/// common file-system ones are worded here as Go words them in dockerd's errors ("/x: no such file or directory").
/// </summary>
public static partial class SystemErrorText
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["IO_FileNotFound"] = "no such file or directory",
        ["IO_FileNotFound_FileName"] = "no such file or directory",
        ["IO_PathNotFound_NoPathName"] = "no such file or directory",
        ["IO_PathNotFound_Path"] = "no such file or directory",
        ["UnauthorizedAccess_IODenied_NoPathName"] = "permission denied",
        ["UnauthorizedAccess_IODenied_Path"] = "permission denied",
        ["IO_FileExists_Name"] = "file exists",
        ["IO_AlreadyExists_Name"] = "file exists",
        ["IO_PathTooLong"] = "file name too long",
        ["IO_PathTooLong_Path"] = "file name too long",
        ["IO_SharingViolation_File"] = "resource busy",
        ["IO_SharingViolation_NoFileName"] = "resource busy",
        ["IO_DiskFull_Path_AllocationSize"] = "no space left on device",
        ["IO_FileTooLarge_Path_AllocationSize"] = "file too large",
    };

    public static string Of(Exception e)
    {
        var match = ResourceKey().Match(e.Message);
        if (!match.Success) return e.Message;
        string key = match.Groups["key"].Value, argument = match.Groups["args"].Success ? match.Groups["args"].Value.Split(", ")[0] : "";
        string? words = Words.GetValueOrDefault(key);
        // An IOException raised for an errno carries it as its HResult: the C library then words it.
        if (words is null && e is IOException && e.HResult is > 0 and < 4096) words = Marshal.GetPInvokeErrorMessage(e.HResult).ToLowerInvariant();
        if (words is null) return e.Message;
        return argument.Length > 0 ? $"{argument}: {words}" : words;
    }

    [GeneratedRegex(@"^(?<key>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]+)(, (?<args>.*))?$", RegexOptions.Singleline)]
    private static partial Regex ResourceKey();
}

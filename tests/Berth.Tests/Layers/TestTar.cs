using System.Formats.Tar;
using System.Text;

namespace Berth.Tests.Layers;

/// <summary>
/// Builds tars with System.Formats.Tar, which writes whatever names it is given: handy for crafted (malicious)
/// archives, and an independent writer to check our reader against. Entries are owned by the current user, so
/// tests need no root to apply them.
/// </summary>
internal sealed class TestTar
{
    private readonly List<(TarEntryType Type, string Name, string? LinkName, byte[]? Data, UnixFileMode Mode)> _entries = [];

    public TestTar File(string name, string content = "", UnixFileMode mode = (UnixFileMode)0x1a4) =>
        Add(TarEntryType.RegularFile, name, null, Encoding.UTF8.GetBytes(content), mode);

    public TestTar File(string name, byte[] content) => Add(TarEntryType.RegularFile, name, null, content, (UnixFileMode)0x1a4);

    public TestTar Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ed) => Add(TarEntryType.Directory, name, null, null, mode);

    public TestTar Symlink(string name, string target) => Add(TarEntryType.SymbolicLink, name, target, null, (UnixFileMode)0x1ff);

    public TestTar HardLink(string name, string target) => Add(TarEntryType.HardLink, name, target, null, (UnixFileMode)0x1a4);

    public TestTar Fifo(string name) => Add(TarEntryType.Fifo, name, null, null, (UnixFileMode)0x1a4);

    private TestTar Add(TarEntryType type, string name, string? linkName, byte[]? data, UnixFileMode mode)
    {
        _entries.Add((type, name, linkName, data, mode));
        return this;
    }

    public byte[] ToArray(TarEntryFormat format = TarEntryFormat.Pax)
    {
        var (uid, gid) = CurrentIds();
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, format, leaveOpen: true))
        {
            foreach (var (type, name, linkName, data, mode) in _entries)
            {
                TarEntry entry = format switch
                {
                    TarEntryFormat.V7 => new V7TarEntry(type == TarEntryType.RegularFile ? TarEntryType.V7RegularFile : type, name),
                    TarEntryFormat.Ustar => new UstarTarEntry(type, name),
                    TarEntryFormat.Gnu => new GnuTarEntry(type, name),
                    _ => new PaxTarEntry(type, name),
                };
                entry.Mode = mode;
                entry.Uid = uid;
                entry.Gid = gid;
                entry.ModificationTime = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
                if (linkName is not null) entry.LinkName = linkName;
                if (data is not null) entry.DataStream = new MemoryStream(data);
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    public MemoryStream ToStream() => new(ToArray());

    public static (int Uid, int Gid) CurrentIds()
    {
        int uid = 0, gid = 0;
        foreach (var line in System.IO.File.ReadLines("/proc/self/status"))
        {
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] == "Uid:") uid = int.Parse(fields[1]);
            if (fields[0] == "Gid:") gid = int.Parse(fields[1]);
        }
        return (uid, gid);
    }
}

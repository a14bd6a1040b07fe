using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Shim.Native;

/// <summary>
/// Starts programs with posix_spawn (vfork+exec in glibc: no copy of the shim's memory, no managed code in the child).
/// The shim reaps its children itself with waitpid, so System.Diagnostics.Process must not be used here.
/// </summary>
internal static unsafe class ProcessSpawner
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Signals the shim ignores for itself; children get them back at their default disposition.</summary>
    public static readonly int[] IgnoredSignals = [Libc.SIGPIPE, Libc.SIGHUP, Libc.SIGINT, Libc.SIGTERM];

    /// <summary>Spawns <paramref name="argv"/>[0] with the given descriptors as its stdin, stdout and stderr; returns the pid.</summary>
    public static int Spawn(IReadOnlyList<string> argv, int stdin, int stdout, int stderr)
    {
        var block = new NativeStringArray([.. argv]);
        var env = new NativeStringArray([DefaultPath]);
        void* actions = NativeMemory.AllocZeroed(256);
        void* attr = NativeMemory.AllocZeroed(512);
        byte* sigset = stackalloc byte[128];
        try
        {
            Libc.posix_spawn_file_actions_init(actions);
            Libc.posix_spawn_file_actions_adddup2(actions, stdin, 0);
            Libc.posix_spawn_file_actions_adddup2(actions, stdout, 1);
            Libc.posix_spawn_file_actions_adddup2(actions, stderr, 2);

            Libc.posix_spawnattr_init(attr);
            Libc.posix_spawnattr_setflags(attr, Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);
            Libc.sigemptyset(sigset);
            Libc.posix_spawnattr_setsigmask(attr, sigset);
            foreach (int signal in IgnoredSignals) Libc.sigaddset(sigset, signal);
            Libc.posix_spawnattr_setsigdefault(attr, sigset);

            int pid;
            int rc = Libc.posix_spawn(&pid, block.Pointers[0], actions, attr, block.Pointers, env.Pointers);
            if (rc != 0) throw new UnixError($"spawn {argv[0]}", rc);
            return pid;
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            block.Free();
            env.Free();
        }
    }

    /// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in one native allocation.</summary>
    private readonly struct NativeStringArray
    {
        public readonly byte** Pointers;

        public NativeStringArray(string[] values)
        {
            int bytes = 0;
            foreach (string v in values) bytes += Encoding.UTF8.GetByteCount(v) + 1;
            Pointers = (byte**)NativeMemory.Alloc((nuint)((values.Length + 1) * sizeof(nint) + bytes));
            byte* text = (byte*)(Pointers + values.Length + 1);
            for (int i = 0; i < values.Length; i++)
            {
                Pointers[i] = text;
                int n = Encoding.UTF8.GetBytes(values[i], new Span<byte>(text, bytes));
                text[n] = 0;
                text += n + 1;
                bytes -= n + 1;
            }
            Pointers[values.Length] = null;
        }

        public void Free() => NativeMemory.Free(Pointers);
    }
}

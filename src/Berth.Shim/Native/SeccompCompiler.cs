using System.Runtime.InteropServices;
using Berth.Shim.Runtime;

namespace Berth.Shim.Native;

/// <summary>
/// Compiles an OCI <c>linux.seccomp</c> profile to a classic BPF program with libseccomp (runc's own dependency,
/// loaded on first use), following runc 1.1's rules: unknown syscalls are skipped, rules whose action equals the
/// default are dropped, and a syscall whose conditions test one argument more than once gets one rule per condition.
/// The program is loaded by the exec'd child itself (<see cref="NativeExecChild"/>), which cannot call into libseccomp.
/// Profiles this cannot express the way runc does (notify, unknown flags or actions) throw <see cref="NotSupportedException"/>.
/// </summary>
internal static unsafe partial class SeccompCompiler
{
    private const string Lib = "libseccomp.so.2";
    private const uint ActKillThread = 0, ActKillProcess = 0x80000000, ActTrap = 0x00030000, ActErrno = 0x00050000,
        ActTrace = 0x7ff00000, ActLog = 0x7ffc0000, ActAllow = 0x7fff0000;
    private const int EPERM = 1, EEXIST = 17, NrScmpError = -1;
    private const int MaxArguments = 6;

    [StructLayout(LayoutKind.Sequential)]
    private struct ArgCompare { public uint Arg; public int Op; public ulong DatumA; public ulong DatumB; }

    [LibraryImport(Lib)] private static partial nint seccomp_init(uint defaultAction);
    [LibraryImport(Lib)] private static partial void seccomp_release(nint context);
    [LibraryImport(Lib)] private static partial uint seccomp_arch_resolve_name(byte* name);
    [LibraryImport(Lib)] private static partial int seccomp_arch_add(nint context, uint arch);
    [LibraryImport(Lib)] private static partial int seccomp_syscall_resolve_name(byte* name);
    [LibraryImport(Lib)] private static partial int seccomp_rule_add_array(nint context, uint action, int syscall, uint count, ArgCompare* args);
    [LibraryImport(Lib)] private static partial int seccomp_export_bpf(nint context, int fd);
    [LibraryImport(Lib)] private static partial int seccomp_attr_set(nint context, int attribute, uint value);
    private const int AttrOptimize = 8; // SCMP_FLTATR_CTL_OPTIMIZE, libseccomp 2.5+
    private const uint OptimizeBinaryTree = 2;
    [LibraryImport("libc", SetLastError = true)] private static partial int memfd_create(byte* name, uint flags);

    /// <summary>The BPF program (8-byte instructions) for <paramref name="profile"/>, and the seccomp(2) flags it asks for.</summary>
    public static byte[] Compile(Dictionary<string, object?> profile)
    {
        if (profile.String("listenerPath") is { Length: > 0 }) throw new NotSupportedException("seccomp notify");
        if (profile.Strings("flags").Count > 0) throw new NotSupportedException("seccomp flags");
        uint defaultAction = Action(profile.String("defaultAction") ?? "", (int?)profile.Int64("defaultErrnoRet"));
        nint context = seccomp_init(defaultAction);
        if (context == 0) throw new InvalidOperationException("seccomp_init failed");
        try
        {
            // The same decisions as runc's linear filter, in a binary tree of syscall numbers: the kernel emulates a
            // filter for every syscall number when it loads it (to cache constant answers), which takes ~1.6 ms for
            // Docker's profile in linear form and ~0.5 ms as a tree, at each exec. Older libseccomp: linear, as runc.
            _ = seccomp_attr_set(context, AttrOptimize, OptimizeBinaryTree);
            foreach (string arch in profile.Strings("architectures")) AddArch(context, arch);
            foreach (var item in profile.Array("syscalls") ?? [])
            {
                var rule = item as Dictionary<string, object?> ?? throw new InvalidDataException("seccomp: a syscall rule is not an object");
                uint action = Action(rule.String("action") ?? "", (int?)rule.Int64("errnoRet"));
                if (action == defaultAction) continue;
                var conditions = Conditions(rule);
                foreach (string name in rule.Strings("names")) AddRule(context, name, action, conditions);
            }
            return Export(context);
        }
        finally
        {
            seccomp_release(context);
        }
    }

    private static void AddArch(nint context, string name)
    {
        // OCI's SCMP_ARCH_X86_64 is libseccomp's "x86_64", SCMP_ARCH_AARCH64 "aarch64" ...
        string libName = name.StartsWith("SCMP_ARCH_", StringComparison.Ordinal) ? name[10..].ToLowerInvariant() : name;
        uint token;
        fixed (byte* p = Utf8(libName)) token = seccomp_arch_resolve_name(p);
        if (token == 0) throw new NotSupportedException($"seccomp architecture {name}");
        int rc = seccomp_arch_add(context, token);
        if (rc < 0 && rc != -EEXIST) throw new InvalidOperationException($"seccomp_arch_add {name}: {rc}");
    }

    private static void AddRule(nint context, string name, uint action, ArgCompare[] conditions)
    {
        int syscall;
        fixed (byte* p = Utf8(name)) syscall = seccomp_syscall_resolve_name(p);
        if (syscall == NrScmpError) return; // not a syscall of this kernel's architectures: runc skips it too
        Span<int> perArgument = stackalloc int[MaxArguments];
        foreach (var c in conditions) perArgument[(int)c.Arg]++;
        bool repeated = false;
        foreach (int count in perArgument) repeated |= count > 1;
        if (repeated)
        {
            foreach (var c in conditions)
            {
                var single = c;
                Check(seccomp_rule_add_array(context, action, syscall, 1, &single), name);
            }
            return;
        }
        fixed (ArgCompare* args = conditions) Check(seccomp_rule_add_array(context, action, syscall, (uint)conditions.Length, args), name);
    }

    private static ArgCompare[] Conditions(Dictionary<string, object?> rule)
    {
        var args = rule.Array("args") ?? [];
        var conditions = new ArgCompare[args.Count];
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i] as Dictionary<string, object?> ?? throw new InvalidDataException("seccomp: an argument condition is not an object");
            uint index = (uint)(arg.UInt64("index") ?? 0);
            if (index >= MaxArguments) throw new InvalidDataException($"seccomp: argument index {index}");
            conditions[i] = new ArgCompare
            {
                Arg = index,
                Op = Operator(arg.String("op") ?? ""),
                DatumA = arg.UInt64("value") ?? 0,
                DatumB = arg.UInt64("valueTwo") ?? 0,
            };
        }
        return conditions;
    }

    private static int Operator(string op) => op switch
    {
        "SCMP_CMP_NE" => 1,
        "SCMP_CMP_LT" => 2,
        "SCMP_CMP_LE" => 3,
        "SCMP_CMP_EQ" => 4,
        "SCMP_CMP_GE" => 5,
        "SCMP_CMP_GT" => 6,
        "SCMP_CMP_MASKED_EQ" => 7,
        _ => throw new NotSupportedException($"seccomp operator {op}"),
    };

    /// <summary>runc's actions: errno and trace without a value return EPERM; kill is kill-thread.</summary>
    private static uint Action(string action, int? errno) => action switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => ActKillThread,
        "SCMP_ACT_KILL_PROCESS" => ActKillProcess,
        "SCMP_ACT_TRAP" => ActTrap,
        "SCMP_ACT_ERRNO" => ActErrno | (uint)((errno ?? EPERM) & 0xFFFF),
        "SCMP_ACT_TRACE" => ActTrace | (uint)((errno ?? EPERM) & 0xFFFF),
        "SCMP_ACT_LOG" => ActLog,
        "SCMP_ACT_ALLOW" => ActAllow,
        _ => throw new NotSupportedException($"seccomp action {action}"),
    };

    private static byte[] Export(nint context)
    {
        int fd;
        fixed (byte* name = "seccomp\0"u8) fd = memfd_create(name, 1 /* MFD_CLOEXEC */);
        if (fd < 0) throw UnixError.Last("memfd_create");
        try
        {
            Check(seccomp_export_bpf(context, fd), "export");
            long size = UnixError.Check((int)Libc.lseek(fd, 0, 2), "lseek");
            if (size == 0 || size % 8 != 0 || size / 8 > ushort.MaxValue) throw new InvalidOperationException($"seccomp: a BPF program of {size} bytes");
            Libc.lseek(fd, 0, 0);
            var program = new byte[size];
            int done = 0;
            while (done < program.Length)
            {
                int n = Fd.Read(fd, program.AsSpan(done));
                if (n <= 0) throw new InvalidOperationException("seccomp: short read of the BPF program");
                done += n;
            }
            return program;
        }
        finally
        {
            Fd.Close(fd);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc < 0) throw new InvalidOperationException($"seccomp {what}: {Marshal.GetPInvokeErrorMessage(-rc)}");
    }

    private static byte[] Utf8(string value) => System.Text.Encoding.UTF8.GetBytes(value + "\0");
}

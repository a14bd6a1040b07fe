using System.Diagnostics;

namespace Berth.Tests.Layers;

/// <summary>Compresses bytes with a real program (xz, bzip2), an independent writer to check our decoders against.</summary>
internal static class ExternalCompressor
{
    /// <param name="command">The program and its options, separated by spaces, writing to stdout ("xz -c -9").</param>
    public static async Task<byte[]> CompressAsync(string command, byte[] input)
    {
        var words = command.Split(' ');
        var info = new ProcessStartInfo(words[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in words[1..]) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command}");
        var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        await reading;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} exited with {process.ExitCode}");
        return output.ToArray();
    }
}

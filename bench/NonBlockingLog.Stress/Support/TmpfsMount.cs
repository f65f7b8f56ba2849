using System.Diagnostics;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// A small tmpfs mounted on a directory this run created, so that a full disk is real (ENOSPC from the
/// kernel) and harms nothing else. Needs root and a working <c>mount</c>; <see cref="TryMount"/> says why not.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public bool Unmounted { get; private set; }

    public static TmpfsMount? TryMount(string directory, long sizeBytes, out string? whyNot)
    {
        whyNot = null;
        if (!OperatingSystem.IsLinux())
        {
            whyNot = "not Linux";
            return null;
        }

        if (EffectiveUserId() is not 0)
        {
            whyNot = "not running as root (mounting a tmpfs needs it)";
            return null;
        }

        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes / 1024}k", "tmpfs", directory);
        if (code != 0)
        {
            whyNot = $"mount failed ({code}): {output.Trim()}";
            return null;
        }

        return new TmpfsMount(directory);
    }

    /// <summary>Bytes the filesystem still has for us.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public void Dispose()
    {
        if (Unmounted) return;
        var (code, output) = Run("umount", Path);
        if (code != 0)
        {
            // Something still holds a file open there (an abandoned writer, for instance): detach it lazily.
            Console.Error.WriteLine($"umount {Path} failed ({code}): {output.Trim()}; trying umount -l");
            (code, _) = Run("umount", "-l", Path);
        }

        Unmounted = code == 0;
    }

    // The Uid line of /proc/self/status: real, effective, saved, filesystem.
    static int? EffectiveUserId()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
            var fields = line["Uid:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 1 && int.TryParse(fields[1], out var uid) ? uid : null;
        }

        return null;
    }

    static (int Code, string Output) Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}

using System.Diagnostics;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a fresh folder, so that a full disk is real (ENOSPC from the kernel) and harms nothing
/// else. Needs Linux, root and a working <c>mount</c>: <see cref="WhyUnavailable"/> says why not, and
/// <see cref="TmpfsFactAttribute"/> skips the test with that reason.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    readonly TempFolder _folder = new();

    public Tmpfs(long sizeBytes)
    {
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes / 1024}k", "tmpfs", _folder.Path);
        if (code != 0) throw new InvalidOperationException($"mount failed ({code}): {output.Trim()}");
    }

    public string Path => _folder.Path;

    public string File(string name) => _folder.File(name);

    /// <summary>Null when a tmpfs can be mounted here; otherwise why not.</summary>
    public static string? WhyUnavailable { get; } = Probe();

    public void Dispose()
    {
        if (Run("umount", Path).Code != 0) Run("umount", "-l", Path);
        _folder.Dispose();
    }

    static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "a real full disk needs a tmpfs, which needs Linux";
        if (Environment.UserName != "root") return "mounting a tmpfs for a real full disk needs root";
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

/// <summary>A fact that needs <see cref="Tmpfs"/>; skipped, with the reason, where it cannot be mounted.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.WhyUnavailable is { } why) Skip = why;
    }
}

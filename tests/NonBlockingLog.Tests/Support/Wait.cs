namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Waiting for what another thread brings about. Tests never sleep: they wait for a state, a task or a gate, and
/// <see cref="HangGuard"/>, the only timeout a test waits on, just turns a hang into a failure.
/// </summary>
public static class Wait
{
    /// <summary>
    /// How long a test waits for another thread before it fails as hung. Never a condition of passing, so generous:
    /// the stress tests must finish well within it on two cores shared with other builds.
    /// </summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>Waits for a condition another thread brings about; fails, saying what, if it never comes.</summary>
    public static void Until(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, HangGuard)) Assert.Fail($"timed out waiting until {what}");
    }
}

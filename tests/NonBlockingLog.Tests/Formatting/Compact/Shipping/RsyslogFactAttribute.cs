namespace NonBlockingLog.Tests.Formatting.Compact.Shipping;

/// <summary>
/// A fact that needs rsyslogd, Debian's rsyslog package, which .ci/run installs: without it the test is skipped
/// with a message saying so, rather than failing.
/// </summary>
public sealed class RsyslogFactAttribute : FactAttribute
{
    public RsyslogFactAttribute()
    {
        if (Rsyslog.FindExecutable() is null)
        {
            Skip = "rsyslogd is not installed, so no log shipper can read our files: .ci/run installs Debian's rsyslog package " +
                   "(as root: apt-get install rsyslog) and this test is skipped only where that failed.";
        }
    }
}

using Microsoft.Extensions.Configuration;
using NonBlockingLog.Settings;

namespace NonBlockingLog;

/// <summary>
/// Checks the <c>NonBlocking</c> and <c>NonBlockingFile</c> entries of a Serilog configuration section
/// (appsettings.json) before <c>ReadFrom.Configuration</c> builds the logger. Serilog.Settings.Configuration
/// ignores a misspelt key, and reports a value of the wrong form without naming the setting; this names the
/// configuration path of each problem and what a valid value is, and applies the same rules as
/// <c>WriteTo.NonBlocking(...)</c> and <c>WriteTo.NonBlockingFile(...)</c>.
/// </summary>
public static class NonBlockingLogConfiguration
{
    /// <summary>The <c>waitTimeout</c> a sink uses when neither configuration nor code sets one: 100 ms.</summary>
    public static TimeSpan DefaultWaitTimeout => NonBlockingSinkOptions.DefaultWaitTimeout;

    /// <summary>The <c>floodLimit</c> a sink uses when neither configuration nor code sets one: 100000 events of one message template a second.</summary>
    public static int DefaultFloodLimit => NonBlockingSinkOptions.DefaultFloodLimit;

    /// <summary>The <c>reservedForWarnings</c> a sink of <paramref name="capacity"/> uses when neither configuration nor code sets one: a fifth of it.</summary>
    /// <param name="capacity">The sink's <c>capacity</c>.</param>
    /// <returns>The reserve, in queue slots.</returns>
    public static int DefaultReservedForWarnings(int capacity) => NonBlockingSinkOptions.DefaultReservedForWarnings(capacity);

    /// <summary>
    /// Finds every problem in the <c>NonBlocking</c> and <c>NonBlockingFile</c> entries under
    /// <c>&lt;sectionName&gt;:WriteTo</c>, including those wrapped by another entry's <c>configure</c>: an unknown
    /// key, a value of the wrong form, a value its rule rejects, a missing <c>path</c> or <c>configure</c>, two
    /// sinks with the same <c>name</c>, and a method name in the wrong letter case.
    /// </summary>
    /// <param name="configuration">The application's configuration, or the section's parent.</param>
    /// <param name="sectionName">The section <c>ReadFrom.Configuration</c> reads. The default is <c>Serilog</c>.</param>
    /// <returns>The problems in configuration order; empty when every entry is valid or there is none.</returns>
    public static IReadOnlyList<ConfigurationProblem> FindProblems(IConfiguration configuration, string sectionName = "Serilog")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        return ConfigurationValidator.FindProblems(configuration, sectionName);
    }

    /// <summary>
    /// Throws if <see cref="FindProblems"/> finds any problem, with one message that lists them all, so that an
    /// app with a bad appsettings.json fails at startup, before the logger is built. Call it before
    /// <c>ReadFrom.Configuration</c>.
    /// </summary>
    /// <param name="configuration">The application's configuration, or the section's parent.</param>
    /// <param name="sectionName">The section <c>ReadFrom.Configuration</c> reads. The default is <c>Serilog</c>.</param>
    /// <exception cref="InvalidOperationException">The section has at least one problem; the message lists each, one per line.</exception>
    public static void Validate(IConfiguration configuration, string sectionName = "Serilog")
    {
        var problems = FindProblems(configuration, sectionName);
        if (problems.Count == 0) return;

        var lines = problems.Select(p => Environment.NewLine + "  " + p);
        throw new InvalidOperationException(
            $"The NonBlockingLog sinks in the \"{sectionName}\" configuration section have {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:{string.Concat(lines)}");
    }
}

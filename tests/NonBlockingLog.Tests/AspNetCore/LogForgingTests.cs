using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>The sample turns escapeControlCharacters on: a request cannot write a line of its own into the log.</summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class LogForgingTests
{
    const string Forged = "2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged";

    [Fact]
    public async Task Sample_RequestWithALineBreakAndAFakeLineInItsPath_WritesNoForgedLine()
    {
        await using var app = new SampleApp();
        app.Start();
        using var client = app.CreateClient();
        var path = "/hello/alice" + Uri.EscapeDataString("\r\n" + Forged);

        (await client.GetAsync(path)).EnsureSuccessStatusCode();
        await app.StopAsync();

        var lines = app.LogLines();
        Assert.DoesNotContain(lines, l => l.StartsWith("2026-01-01", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Saying hello to alice\\r\\n" + Forged, StringComparison.Ordinal));
    }
}

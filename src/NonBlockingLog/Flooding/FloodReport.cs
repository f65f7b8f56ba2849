namespace NonBlockingLog.Flooding;

/// <summary>The flooding templates as the snapshot shows them: the most recent floods first, then the largest.</summary>
internal static class FloodReport
{
    public const int MaxTemplates = 5;

    public static IReadOnlyList<FloodingTemplate> Describe(FloodGuard guard) =>
    [
        .. guard.Flooders()
            .Select(f => (Flooder: f, Suppressed: f.Suppressed, Window: f.LastFloodWindow))
            .OrderByDescending(f => f.Window)
            .ThenByDescending(f => f.Suppressed)
            .Take(MaxTemplates)
            .Select(f => new FloodingTemplate { Template = f.Flooder.Template.Text, Suppressed = f.Suppressed, LastFloodAt = guard.StartOf(f.Window) }),
    ];
}

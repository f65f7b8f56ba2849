namespace NonBlockingLog;

/// <summary>A message template whose events the flood guard suppressed (see <see cref="NonBlockingLogSnapshot.FloodingTemplates"/>).</summary>
public sealed class FloodingTemplate
{
    /// <summary>The message template's text, such as <c>unknown event {Kind} from watcher {Watcher}</c>.</summary>
    public required string Template { get; init; }

    /// <summary>Its events suppressed (reason <c>flood_limit</c>) since the guard began following it.</summary>
    public required long Suppressed { get; init; }

    /// <summary>When the last one-second window in which it reached <c>floodLimit</c> began.</summary>
    public required DateTimeOffset LastFloodAt { get; init; }
}

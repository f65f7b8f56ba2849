using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Tests.Consumption;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Flooding;

/// <summary>The guard inside a sink: what is suppressed, how it is counted, reported and changed, on a manual clock.</summary>
public sealed class FloodSinkTests
{
    static readonly LogEventLevel[] Levels = [LogEventLevel.Information, LogEventLevel.Error];

    static void Flood(ILogEventSink sink, int events, MessageTemplate? template = null, LogEventLevel level = LogEventLevel.Information)
    {
        for (var i = 0; i < events; i++) sink.Emit(Floods.Event(template ?? Floods.UnknownEvent, i, level));
    }

    [Fact]
    public void Emit_FloodingTemplate_SuppressesWhatPassesTheLimitAndAccountsForEveryEvent()
    {
        var time = new FakeTimeProvider();
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Floods.Options(floodLimit: 100, time: time));
        using (sink)
        {
            foreach (var level in Levels) Flood(sink, 500, level: level);
            for (var i = 0; i < 10; i++) sink.Emit(Some.Event(i, LogEventLevel.Error));

            var during = sink.GetSnapshot();
            Assert.Equal(900, during.DroppedByReason[DropReason.FloodLimit]);
            Assert.Equal(100, during.FloodLimit);
            var flood = Assert.Single(during.FloodingTemplates);
            Assert.Equal("unknown event {Kind} from watcher {Watcher}", flood.Template);
            Assert.Equal(900, flood.Suppressed);
            Assert.Equal(time.GetUtcNow(), flood.LastFloodAt);
            Some.AssertAccounted(1_010, during);
        }

        // The first 100 events of the template pass, whatever their level; the other template is untouched.
        Assert.Equal(100, inner.CallerEvents.Count(e => e.MessageTemplate == Floods.UnknownEvent));
        Assert.Equal(Enumerable.Range(0, 100), inner.CallerEvents.Where(e => e.MessageTemplate == Floods.UnknownEvent).Select(Some.NumberOf));
        Assert.Equal(10, inner.CallerEvents.Count(e => e.MessageTemplate.Text == "Event {Number}"));
        var after = sink.GetSnapshot();
        Assert.Equal(110, after.Written);
        Some.AssertAccounted(1_010, after);
    }

    [Fact]
    public void Emit_WithTheGuardOff_SuppressesNothing()
    {
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Floods.Options(floodLimit: 0, time: new FakeTimeProvider()));
        using (sink) Flood(sink, 5_000);

        Assert.Equal(5_000, sink.GetSnapshot().Written);
        Assert.Empty(sink.GetSnapshot().FloodingTemplates);
    }

    [Fact]
    public async Task Consumer_AfterFloodsInTwoWindows_WritesOneSummaryPerTemplatePerWindowWithExactCounts()
    {
        var time = new FakeTimeProvider();
        var inner = new BarrierSink();
        var sink = TestSinks.Create(inner, Floods.Options(floodLimit: 10, time: time));
        using (sink)
        {
            // Each flood happens while the consumer is held at a barrier, so that no notice can be written before
            // the whole flood is counted.
            await inner.HoldAtAsync(1, () => sink.Emit(BarrierSink.Barrier(1)));
            Flood(sink, 110);
            inner.Release(1);
            Wait.Until(() => sink.GetSnapshot().DropNotices == 2, "the drop notice and the flood summary are written");

            time.Advance(TimeSpan.FromSeconds(1.5));
            sink.Floods.Advance();
            await inner.HoldAtAsync(2, () => sink.Emit(BarrierSink.Barrier(2)));
            Flood(sink, 60);
            inner.Release(2);
            Wait.Until(() => sink.GetSnapshot().DropNotices == 4, "the second notice and summary are written");
        }

        var summaries = inner.Events.Where(Floods.IsSummary).ToArray();
        Assert.Equal([100L, 50L], summaries.Select(Floods.SuppressedIn));
        Assert.All(summaries, s => Assert.Equal("unknown event {Kind} from watcher {Watcher}", Floods.TemplateIn(s)));
        Assert.All(summaries, s => Assert.Equal(LogEventLevel.Warning, s.Level));
        Assert.Equal(
            $"NonBlockingLog sink \"{sink.Name}\" suppressed 100 events of template 'unknown event {{Kind}} from watcher {{Watcher}}' in 0 s (floodLimit: 10 a second)",
            summaries[0].RenderMessage());
        Assert.Contains(" in 1.5 s ", summaries[1].RenderMessage(), StringComparison.Ordinal);
        Assert.Equal(sink.GetSnapshot().DroppedByReason[DropReason.FloodLimit], summaries.Sum(Floods.SuppressedIn));

        // The general notices name the reason too, with the same counts.
        Assert.Contains("flood_limit: 100", inner.DropNotices.First().RenderMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumer_WhenManyTemplatesFlood_WritesTheLargestFewAndSumsUpTheRestInOneLine()
    {
        var inner = new GatedSink();
        var sink = TestSinks.Create(inner, Floods.Options(floodLimit: 10, time: new FakeTimeProvider()));
        var templates = Enumerable.Range(1, 7).Select(i => Floods.Template($"flood {i} of {{Number}}")).ToArray();
        sink.Emit(Some.Event(0));
        await inner.Entered.WaitAsync(TimeSpan.FromSeconds(30)); // no notice until every template has flooded

        // Template i has 5 * i events suppressed.
        for (var i = 0; i < templates.Length; i++) Flood(sink, 10 + 5 * (i + 1), templates[i]);
        inner.Release();
        sink.Dispose();

        var summaries = inner.Events.Where(Floods.IsSummary).ToArray();
        Assert.Equal(["flood 7 of {Number}", "flood 6 of {Number}", "flood 5 of {Number}", "flood 4 of {Number}", "flood 3 of {Number}", null],
            summaries.Select(Floods.TemplateIn));
        Assert.Equal([35L, 30L, 25L, 20L, 15L, 15L], summaries.Select(Floods.SuppressedIn));
        Assert.StartsWith($"NonBlockingLog sink \"{sink.Name}\" suppressed 15 events of 2 more templates in ", summaries[^1].RenderMessage(), StringComparison.Ordinal);
        Assert.Equal(1 + summaries.Length, sink.GetSnapshot().DropNotices);
    }

    [Fact]
    public void Emit_SuppressedEvents_AreNotToldToTheFailureListener()
    {
        // A fallback sink behind the listener would otherwise receive the whole flood.
        var listener = new RecordingListener();
        var sink = TestSinks.Create(new CollectingSink(), Floods.Options(floodLimit: 10, time: new FakeTimeProvider()));
        sink.SetFailureListener(listener);
        using (sink) Flood(sink, 100);

        Assert.Equal(90, sink.GetSnapshot().DroppedByReason[DropReason.FloodLimit]);
        Assert.Empty(listener.Events);
    }

    [Fact]
    public void UpdatePolicy_FloodLimit_AppliesFromTheNextEvent()
    {
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Floods.Options(floodLimit: 0, time: new FakeTimeProvider()));
        using (sink)
        {
            Flood(sink, 100);
            sink.UpdatePolicy(null, null, null, floodLimit: 150);
            Flood(sink, 200);
            Assert.Equal(50, sink.GetSnapshot().DroppedByReason[DropReason.FloodLimit]);

            // A template suppressed under the old limit is judged by the new one at once: 150 passed in this window.
            sink.UpdatePolicy(null, null, null, floodLimit: 200);
            Assert.Equal(200, sink.GetSnapshot().FloodLimit);
            Flood(sink, 100);
            Assert.Equal(100, sink.GetSnapshot().DroppedByReason[DropReason.FloodLimit]);

            sink.UpdatePolicy(null, null, null, floodLimit: 0);
            Flood(sink, 100);
        }

        Assert.Equal(400, sink.GetSnapshot().Written);
        Assert.Equal(100, sink.GetSnapshot().DroppedByReason[DropReason.FloodLimit]);
    }

    [Fact]
    public void UpdatePolicy_ThroughTheRegistry_ValidatesTheFloodLimitAndKeepsTheOldOne()
    {
        var name = "flood-update-" + Guid.NewGuid().ToString("n");
        using var logger = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(new CollectingSink()), name: name).CreateLogger();

        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => NonBlockingLogSinks.UpdatePolicy(name, floodLimit: -1));
        Assert.Equal("floodLimit", thrown.ParamName);
        Assert.StartsWith("floodLimit must be at least 0 (the most events of one message template written per second); 0 turns the flood guard off, and the default is 100000.", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(100_000, NonBlockingLogSinks.Find(name)!.GetSnapshot().FloodLimit);

        Assert.True(NonBlockingLogSinks.UpdatePolicy(name, floodLimit: 5));
        Assert.Equal(5, NonBlockingLogSinks.Find(name)!.GetSnapshot().FloodLimit);
    }

    [Fact]
    public void CheckOnce_MovesTheGuardToTheWindowTheClockIsIn()
    {
        var time = new FakeTimeProvider();
        var sink = TestSinks.Create(new CollectingSink(), Floods.Options(floodLimit: 10, time: time));
        using (sink)
        {
            Flood(sink, 20);
            time.Advance(TimeSpan.FromSeconds(1));
            sink.Supervisor.CheckOnce();
            Assert.Equal(1, sink.Floods.Window);
            Flood(sink, 20);
        }

        Assert.Equal(20, sink.GetSnapshot().DroppedByReason[DropReason.FloodLimit]);
    }

    sealed class RecordingListener : ILoggingFailureListener
    {
        public List<LogEvent> Events { get; } = [];

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
        {
            lock (Events) Events.AddRange(events ?? []);
        }
    }

    /// <summary>Records every event, and holds the consumer inside the barrier events until the test releases each.</summary>
    sealed class BarrierSink : RecordingSink
    {
        static readonly MessageTemplate BarrierTemplate = new Serilog.Parsing.MessageTemplateParser().Parse("barrier {Number}");
        readonly Dictionary<int, (TaskCompletionSource Entered, ManualResetEventSlim Gate)> _barriers = [];

        public static LogEvent Barrier(int number) => new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, BarrierTemplate, [new LogEventProperty("Number", new ScalarValue(number))]);

        public async Task HoldAtAsync(int number, Action emit)
        {
            lock (_barriers) _barriers[number] = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new ManualResetEventSlim(false));
            emit();
            await _barriers[number].Entered.Task.WaitAsync(Wait.HangGuard);
        }

        public void Release(int number) => _barriers[number].Gate.Set();

        public override void Emit(LogEvent logEvent)
        {
            if (logEvent.MessageTemplate == BarrierTemplate)
            {
                var number = (int)((ScalarValue)logEvent.Properties["Number"]).Value!;
                (TaskCompletionSource Entered, ManualResetEventSlim Gate) barrier;
                lock (_barriers) barrier = _barriers[number];
                barrier.Entered.TrySetResult();
                barrier.Gate.Wait();
                return;
            }

            Record(logEvent);
        }
    }
}

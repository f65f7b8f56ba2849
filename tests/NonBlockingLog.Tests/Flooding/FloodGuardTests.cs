using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Flooding;
using NonBlockingLog.Tests.Support;
using Serilog.Events;

namespace NonBlockingLog.Tests.Flooding;

/// <summary>The guard alone, on a manual clock: windows move only when a test advances them.</summary>
public sealed class FloodGuardTests
{
    static (int Admitted, int Suppressed) Call(FloodGuard guard, MessageTemplate template, int calls, int limit)
    {
        var admitted = 0;
        for (var i = 0; i < calls; i++) if (guard.TryAdmit(template, limit)) admitted++;
        return (admitted, calls - admitted);
    }

    static void NextWindow(FloodGuard guard, FakeTimeProvider time)
    {
        time.Advance(FloodGuard.WindowLength);
        guard.Advance();
    }

    static GuardedTemplate Followed(FloodGuard guard, MessageTemplate template) =>
        Assert.Single(guard.Flooders(), f => ReferenceEquals(f.Template, template));

    [Fact]
    public void TryAdmit_OneThreadOverTheLimit_PassesExactlyTheLimitEachWindowAndCountsTheRest()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);

        Assert.Equal((1_000, 4_000), Call(guard, Floods.UnknownEvent, 5_000, limit: 1_000));
        Assert.Equal(4_000, Followed(guard, Floods.UnknownEvent).Suppressed);

        NextWindow(guard, time);
        Assert.Equal(1, guard.Window);
        Assert.Equal((1_000, 2_000), Call(guard, Floods.UnknownEvent, 3_000, limit: 1_000));
        Assert.Equal(6_000, Followed(guard, Floods.UnknownEvent).Suppressed);
        Assert.Equal(1, Followed(guard, Floods.UnknownEvent).LastFloodWindow);
    }

    [Fact]
    public void TryAdmit_UnderTheLimit_PassesEverythingAndListsNoFlooder()
    {
        var guard = new FloodGuard(new FakeTimeProvider());

        Assert.Equal((1_000, 0), Call(guard, Floods.UnknownEvent, 1_000, limit: 1_000));
        Assert.Empty(guard.Flooders());
    }

    [Fact]
    public void TryAdmit_LimitOfOne_PassesOneEventPerWindow()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);

        Assert.Equal((1, 9), Call(guard, Floods.UnknownEvent, 10, limit: 1));
        NextWindow(guard, time);
        Assert.Equal((1, 9), Call(guard, Floods.UnknownEvent, 10, limit: 1));
    }

    [Fact]
    public void TryAdmit_OneTemplateFromManyThreadsUnderTheLimit_IsNeverSuppressed()
    {
        // Request logging: one template from many threads at once. The chunks must not add up to more than was logged.
        var guard = new FloodGuard(new FakeTimeProvider());
        var request = Floods.Template("HTTP {Method} {Path} responded {Status} in {Elapsed} ms");
        var suppressed = 0;
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            var (_, s) = Call(guard, request, 10_000, limit: 100_000);
            Interlocked.Add(ref suppressed, s);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        Assert.Equal(0, suppressed);
        Assert.Empty(guard.Flooders());
    }

    [Fact]
    public void TryAdmit_ManyThreadsOverTheLimit_HoldTheTemplateNearTheLimitAndCountEverySuppressionOnce()
    {
        var guard = new FloodGuard(new FakeTimeProvider());
        var admitted = 0;
        using var start = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            var (a, _) = Call(guard, Floods.UnknownEvent, 25_000, limit: 10_000);
            Interlocked.Add(ref admitted, a);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        // Counting in chunks may let a few more through, or fewer, when threads race on one processor's count.
        var slack = ProcessorStripes.Count * FloodGuard.MaxChunk;
        Assert.InRange(admitted, 10_000 - slack, 10_000 + slack);
        Assert.Equal(100_000 - admitted, Followed(guard, Floods.UnknownEvent).Suppressed);
    }

    [Fact]
    public void TryAdmit_TemplateSharingAFloodersSlot_IsNotSuppressed()
    {
        var guard = new FloodGuard(new FakeTimeProvider());
        var (flooder, innocent) = Floods.Colliding(2) switch { var t => (t[0], t[1]) };

        Assert.Equal((10, 990), Call(guard, flooder, 1_000, limit: 10));
        Assert.Equal((10, 0), Call(guard, innocent, 10, limit: 10));
        Assert.Equal((0, 5), Call(guard, flooder, 5, limit: 10));
    }

    [Fact]
    public void TryAdmit_WhenEverySlotItMayUseIsTaken_LeavesTheTemplateUnguardedUntilASlotFallsIdle()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        var same = Floods.Colliding(9);
        foreach (var template in same[..8]) Assert.True(guard.TryAdmit(template, 10));

        // All eight slots it may probe hold templates seen in this window: never suppress an innocent template.
        Assert.Equal((1_000, 0), Call(guard, same[8], 1_000, limit: 10));

        // The first eight stay quiet for a whole window; then the ninth takes a slot over and is guarded.
        NextWindow(guard, time);
        NextWindow(guard, time);
        Assert.Equal((10, 990), Call(guard, same[8], 1_000, limit: 10));
        Assert.Equal((10, 0), Call(guard, same[0], 10, limit: 10));
    }

    [Fact]
    public void ResetSuppression_AfterTheLimitChanges_JudgesTheSuppressedTemplateByTheNewLimit()
    {
        var guard = new FloodGuard(new FakeTimeProvider());
        Assert.Equal((10, 90), Call(guard, Floods.UnknownEvent, 100, limit: 10));

        guard.ResetSuppression();

        // 10 already passed in this window; a limit of 50 lets 40 more through.
        Assert.Equal((40, 60), Call(guard, Floods.UnknownEvent, 100, limit: 50));
    }

    [Fact]
    public void Advance_FollowsTheClockInWholeWindowsAndNeverMovesBack()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        var start = time.GetUtcNow();

        time.Advance(TimeSpan.FromMilliseconds(2_500));
        guard.Advance();
        Assert.Equal(2, guard.Window);
        Assert.Equal(start + TimeSpan.FromSeconds(2), guard.StartOf(2));

        guard.Advance();
        Assert.Equal(2, guard.Window);
    }

    // A clock that can be set back, as a wall clock or a badly behaved TimeProvider can be.
    sealed class SettableClock : TimeProvider
    {
        public long Ticks;

        public override long GetTimestamp() => Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }

    [Fact]
    public void Advance_WhenTheClockGoesBack_KeepsTheWindowAndItsSuppression()
    {
        var clock = new SettableClock();
        var guard = new FloodGuard(clock);
        clock.Ticks = TimeSpan.FromSeconds(3).Ticks;
        guard.Advance();
        Assert.Equal((10, 5), Call(guard, Floods.UnknownEvent, 15, limit: 10));

        clock.Ticks = TimeSpan.FromSeconds(1).Ticks;
        guard.Advance();
        clock.Ticks = -TimeSpan.FromSeconds(5).Ticks;
        guard.Advance();

        Assert.Equal(3, guard.Window);
        Assert.Equal((0, 5), Call(guard, Floods.UnknownEvent, 5, limit: 10));
    }

    [Fact]
    public void Flooders_WhenMoreTemplatesFloodThanAreKept_KeepTheMostRecentFloods()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        var old = Floods.Template("an old flood {Number}");
        Call(guard, old, 10, limit: 1);
        NextWindow(guard, time);

        var recent = Enumerable.Range(0, FloodGuard.MaxFlooders).Select(i => Floods.Template($"flood {i} {{Number}}")).ToArray();
        foreach (var template in recent) Call(guard, template, 10, limit: 1);

        var kept = guard.Flooders();
        Assert.Equal(FloodGuard.MaxFlooders, kept.Length);
        Assert.DoesNotContain(kept, f => ReferenceEquals(f.Template, old));
    }

    // A caller reads the window, then the watchdog moves it on before the caller counts: the late caller must not
    // take the template's count back to the earlier window, which would start the current window's count afresh.
    [Fact]
    public void TryAdmit_ACallerStillInAnEarlierWindow_CountsInTheCurrentWindowAndNeverReopensIt()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        Assert.Equal((5, 0), Call(guard, Floods.UnknownEvent, 5, limit: 10));
        NextWindow(guard, time);
        Assert.Equal((5, 0), Call(guard, Floods.UnknownEvent, 5, limit: 10));

        Assert.True(guard.TryAdmit(Floods.UnknownEvent, 10, window: 0)); // the sixth of window 1

        Assert.Equal((4, 6), Call(guard, Floods.UnknownEvent, 10, limit: 10));
        Assert.False(guard.TryAdmit(Floods.UnknownEvent, 10, window: 0)); // window 1 is suppressed, for a late caller too
        var followed = Followed(guard, Floods.UnknownEvent);
        Assert.Equal(7, followed.Suppressed);
        Assert.Equal(1, followed.LastFloodWindow);
        Assert.Equal(1, followed.SuppressingWindow);
        Assert.Equal(1, followed.LastSeenWindow);
    }

    [Fact]
    public void TryAdmit_ALateCallerReachingTheLimit_SuppressesTheCurrentWindowNotTheEarlierOne()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        NextWindow(guard, time);
        Assert.Equal((10, 0), Call(guard, Floods.UnknownEvent, 10, limit: 10));

        Assert.False(guard.TryAdmit(Floods.UnknownEvent, 10, window: 0)); // the eleventh of window 1

        Assert.Equal((0, 5), Call(guard, Floods.UnknownEvent, 5, limit: 10));
        var followed = Followed(guard, Floods.UnknownEvent);
        Assert.Equal(1, followed.SuppressingWindow);
        Assert.Equal(1, followed.LastFloodWindow);
        Assert.Equal(6, followed.Suppressed);
    }

    [Fact]
    public void SuppressFor_AnEarlierWindow_NeverMovesTheSuppressionBack()
    {
        var guarded = new GuardedTemplate(Floods.UnknownEvent, 0);
        guarded.SuppressFor(2);
        guarded.SuppressFor(1);

        Assert.Equal(2, guarded.SuppressingWindow);
        Assert.Equal(2, guarded.LastFloodWindow);
    }

    // The summaries and the flood_limit counter must agree: every suppressed event is summed up exactly once, even
    // for a template that leaves the list of flooders (MaxFlooders) and comes back.
    [Fact]
    public void Take_TemplatesDelistedAndListedAgain_SumUpEverySuppressionExactlyOnce()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        var summaries = new FloodSummaries("floods", guard, () => 1);
        long suppressed = 0, summed = 0;
        void Flood(MessageTemplate template, int calls = 10) => suppressed += Call(guard, template, calls, limit: 1).Suppressed;
        void Take() => summed += summaries.Take(time.GetUtcNow(), time.GetUtcNow()).Sum(Floods.SuppressedIn);

        var first = Floods.Template("the first flood {Number}");
        var second = Floods.Template("the second flood {Number}");
        Flood(first);
        Take();
        Flood(second, calls: 20);
        NextWindow(guard, time);

        // The list fills with floods of this window: the two earlier ones make room, second before it was summed up.
        foreach (var i in Enumerable.Range(0, FloodGuard.MaxFlooders)) Flood(Floods.Template($"flood {i} {{Number}}"));
        Assert.DoesNotContain(guard.Flooders(), f => ReferenceEquals(f.Template, first) || ReferenceEquals(f.Template, second));
        Take();
        NextWindow(guard, time);
        Flood(first);
        Take();

        Assert.Equal(2 * 9 + 19 + FloodGuard.MaxFlooders * 9, suppressed);
        Assert.Equal(suppressed, summed);
    }

    // More templates flood in one window than the list keeps: the ones that found it full are suppressed all the
    // same, and their suppressions must reach the summaries' rest line, once.
    [Fact]
    public void Take_MoreTemplatesFloodingInOneWindowThanAreListed_SumUpEverySuppressionExactlyOnce()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        var summaries = new FloodSummaries("floods", guard, () => 1);
        var templates = Enumerable.Range(0, FloodGuard.MaxFlooders + 3).Select(i => Floods.Template($"flood {i} {{Number}}")).ToArray();
        long suppressed = 0;
        foreach (var template in templates) suppressed += Call(guard, template, 10, limit: 1).Suppressed;
        Assert.Equal(FloodGuard.MaxFlooders, guard.Flooders().Length);

        var lines = summaries.Take(time.GetUtcNow(), time.GetUtcNow());
        Assert.Equal((FloodGuard.MaxFlooders + 3) * 9, suppressed);
        Assert.Equal(suppressed, lines.Sum(Floods.SuppressedIn));
        Assert.Equal(FloodGuard.MaxFlooders + 3 - FloodSummaries.MaxTemplatesPerNotice, (int)((ScalarValue)lines[^1].Properties["MoreTemplates"]).Value!);

        // The same window goes on: the templates without a place are summed up again for what came since, not twice.
        foreach (var template in templates) suppressed += Call(guard, template, 2, limit: 1).Suppressed;
        Assert.Equal(suppressed, lines.Sum(Floods.SuppressedIn) + summaries.Take(time.GetUtcNow(), time.GetUtcNow()).Sum(Floods.SuppressedIn));
    }

    // A template that was suppressed without a place in the list and then fell silent may lose its slot to a new
    // template before the next summary: its suppressions go with the rest line, not with the slot.
    [Fact]
    public void Take_AnUnlistedTemplateWhoseSlotIsTakenOver_IsStillSummedUp()
    {
        var time = new FakeTimeProvider();
        var guard = new FloodGuard(time);
        var summaries = new FloodSummaries("floods", guard, () => 1);
        var listed = Enumerable.Range(0, FloodGuard.MaxFlooders).Select(i => Floods.Template($"flood {i} {{Number}}")).ToArray();
        long suppressed = 0;
        foreach (var template in listed) suppressed += Call(guard, template, 10, limit: 1).Suppressed;
        var unlisted = Floods.Template("one too many {Number}");
        suppressed += Call(guard, unlisted, 10, limit: 1).Suppressed;

        // Two windows later every slot is stale; enough new templates take over the slots around the unlisted one's.
        NextWindow(guard, time);
        NextWindow(guard, time);
        for (var i = 0; i < 4 * FloodGuard.SlotCount; i++) guard.TryAdmit(Floods.Template($"newcomer {i} {{Number}}"), 1_000);
        Assert.False(guard.HasSlotFor(unlisted));

        Assert.Equal(suppressed, summaries.Take(time.GetUtcNow(), time.GetUtcNow()).Sum(Floods.SuppressedIn));
    }
}

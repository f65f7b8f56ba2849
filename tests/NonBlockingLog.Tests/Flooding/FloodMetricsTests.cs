using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NonBlockingLog.Tests.Consumption;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Flooding;

/// <summary>Suppressed events on the Meter: the drop counter with its own reason.</summary>
public sealed class FloodMetricsTests
{
    [Fact]
    public void Meter_SuppressedEvents_AreDropsWithReasonFloodLimit()
    {
        using var dropped = new MetricCollector<long>(null, "NonBlockingLog", "nonblockinglog.events.dropped");
        var sink = TestSinks.Create(new CollectingSink(), Floods.Options(floodLimit: 10, time: new FakeTimeProvider()));
        using (sink)
        {
            for (var i = 0; i < 25; i++) sink.Emit(Floods.Event(Floods.UnknownEvent, i));

            dropped.RecordObservableInstruments();
            var mine = dropped.GetMeasurementSnapshot().Where(m => Equals(m.Tags["sink"], sink.Name)).ToArray();
            Assert.Equal(15, Assert.Single(mine, m => Equals(m.Tags["reason"], "flood_limit")).Value);
            Assert.All(mine.Where(m => !Equals(m.Tags["reason"], "flood_limit")), m => Assert.Equal(0, m.Value));
        }
    }
}

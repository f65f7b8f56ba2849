using System.Text;
using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Files;
using NonBlockingLog.Settings;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Sinks.File;

namespace NonBlockingLog.Tests.Files;

/// <summary>
/// A stalled file consumer is replaced by one writing the same file. Whatever the stalled one does when its write
/// finally returns (an I/O error, say), it never changes what its successor wrote: no rollback, no late bytes.
/// </summary>
public sealed class StalledFileWriterTests
{
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StallRecovery_WhenTheStalledWriteLaterFails_TheFileKeepsEverySuccessorLineOnce()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var disk = new HangingFirstFile();
        var time = new FakeTimeProvider();
        var sink = OverFile(path, disk, Some.Options(time: time, stallTimeout: Stall));
        const int events = 20;

        sink.Emit(Some.Event(0));
        await disk.WriteEntered.WaitAsync(Wait.HangGuard);
        var stalled = sink.Supervisor.Current;
        for (var i = 1; i < events; i++) sink.Emit(Some.Event(i));

        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, Stall);
        Assert.NotSame(stalled, sink.Supervisor.Current);
        Wait.Until(() => sink.GetSnapshot().Written == events, "the successor writes every event");
        Assert.Equal(Lines(events), File.ReadAllLines(path));

        // The stalled write returns at last, with an I/O error: its consumer would recover its writer, which cuts
        // the file back to its length when the stalled batch began, taking the successor's lines with it.
        disk.FailTheHungWrite();
        await stalled.Exited.WaitAsync(Wait.HangGuard);
        sink.Dispose();

        Assert.Equal(Lines(events), File.ReadAllLines(path));
        var s = sink.GetSnapshot();
        Assert.Equal(events, s.Written);
        Some.AssertAccounted(events, s);
    }

    static string[] Lines(int count) => [.. Enumerable.Range(0, count).Select(i => $"Event {i}")];

    // As WriteTo.NonBlockingFile builds it: every writer of the sink, the first and those built after a stall, shares one ownership of the path.
    static NonBlockingSink OverFile(string path, FileLifecycleHooks hooks, NonBlockingSinkOptions options)
    {
        var file = FileWriterOptions.Create(path, "{Message:lj}{NewLine}", formatter: null, formatProvider: null, RollingInterval.Infinite,
            fileSizeLimitBytes: null, rollOnFileSizeLimit: false, retainedFileCountLimit: null, flushToDiskInterval: null, encoding: null, hooks: hooks);
        var ownership = new FileOwnership(file);
        return new NonBlockingSink(options, failures => new FileBatchWriter(file, options.TimeProvider, failures, ownership));
    }

    /// <summary>The first file opened hangs on its first write (a hung disk) until told to fail it; files opened later work.</summary>
    sealed class HangingFirstFile : FileLifecycleHooks
    {
        readonly ManualResetEventSlim _fail = new(false);
        readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int _opened;

        public Task WriteEntered => _entered.Task;

        public void FailTheHungWrite() => _fail.Set();

        public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) =>
            Interlocked.Increment(ref _opened) == 1 ? new HangingStream(underlyingStream, this) : underlyingStream;

        sealed class HangingStream(Stream inner, HangingFirstFile disk) : WriteThroughStream(inner)
        {
            bool _hung;

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (!_hung)
                {
                    _hung = true;
                    disk._entered.TrySetResult();
                    disk._fail.Wait();
                    throw new IOException("Input/output error (the hung disk gave up)");
                }

                Inner.Write(buffer, offset, count);
            }
        }
    }
}

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// A call that should block (an Emit waiting for room), run on a thread of its own so that the test can see it
/// block without sleeping: <see cref="AssertBlocked"/> waits until the thread is waiting or the call has returned,
/// and fails if it returned.
/// </summary>
public sealed class BlockingCall
{
    readonly Thread _thread;
    readonly TaskCompletionSource _returned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    BlockingCall(Action call)
    {
        _thread = new Thread(() =>
        {
            try
            {
                call();
                _returned.TrySetResult();
            }
            catch (Exception ex)
            {
                _returned.TrySetException(ex);
            }
        }) { IsBackground = true, Name = "test caller" };
    }

    /// <summary>Completes when the call returns; faults with what it threw.</summary>
    public Task Returned => _returned.Task;

    public static BlockingCall Start(Action call)
    {
        var blocking = new BlockingCall(call);
        blocking._thread.Start();
        return blocking;
    }

    /// <summary>Asserts that the call is blocked: its thread waits (a monitor, an event, a lock) and it has not returned.</summary>
    public void AssertBlocked()
    {
        Wait.Until(() => Returned.IsCompleted || (_thread.ThreadState & ThreadState.WaitSleepJoin) != 0, "the call blocks or returns");
        Assert.False(Returned.IsCompleted, "the call returned instead of blocking");
    }
}

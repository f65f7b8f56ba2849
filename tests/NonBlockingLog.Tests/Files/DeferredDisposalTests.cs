using NonBlockingLog.Files;

namespace NonBlockingLog.Tests.Files;

public sealed class DeferredDisposalTests
{
    [Fact]
    public void TryDisposeNow_WhenTheConsumerIsOutside_DisposesAtOnceAndOnlyOnce()
    {
        var disposal = new DeferredDisposal();

        Assert.True(disposal.TryDisposeNow());
        Assert.False(disposal.TryDisposeNow());
        Assert.False(disposal.TryEnter());
    }

    // A stalled consumer hung in a write: the writer's streams are disposed when it comes out, on its thread.
    [Fact]
    public void TryDisposeNow_WhileTheConsumerIsInside_LeavesTheDisposalToItsLeave()
    {
        var disposal = new DeferredDisposal();
        Assert.True(disposal.TryEnter());

        Assert.False(disposal.TryDisposeNow());
        Assert.True(disposal.Leave());
        Assert.False(disposal.TryEnter());
        Assert.False(disposal.TryDisposeNow());
    }

    [Fact]
    public void Leave_WithoutADisposalAskedFor_LetsTheConsumerComeBack()
    {
        var disposal = new DeferredDisposal();
        Assert.True(disposal.TryEnter());

        Assert.False(disposal.Leave());
        Assert.True(disposal.TryEnter());
    }
}

using NonBlockingLog.Files;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Files;

public sealed class BatchRollbackTests
{
    [Fact]
    public void Apply_AfterAFailedBatch_CutsEveryTouchedFileBackToItsLengthAtTheStart()
    {
        using var tmp = new TempFolder();
        var first = tmp.File("a.log");
        var second = tmp.File("b.log");
        File.WriteAllText(first, "kept 1\n");
        var rollback = new BatchRollback();

        rollback.Touch(first, new FileInfo(first).Length);
        File.AppendAllText(first, "part of the failed batch\n");
        rollback.Touch(second, 0); // rolled to a new file during the batch
        File.WriteAllText(second, "more of it, and a torn li");
        rollback.MarkFailed();
        rollback.Apply();

        Assert.Equal("kept 1\n", File.ReadAllText(first));
        Assert.Equal("", File.ReadAllText(second));
        Assert.False(rollback.IsPending);
    }

    [Fact]
    public void Touch_TwiceInOneBatch_KeepsTheFirstLength()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("a.log");
        File.WriteAllText(path, "kept\n");
        var rollback = new BatchRollback();
        rollback.Touch(path, 5);
        File.AppendAllText(path, "batch\n");
        rollback.Touch(path, 11);
        rollback.MarkFailed();
        rollback.Apply();
        Assert.Equal("kept\n", File.ReadAllText(path));
    }

    [Fact]
    public void Commit_ThenMarkFailed_LeavesTheFilesAlone()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("a.log");
        File.WriteAllText(path, "kept\n");
        var rollback = new BatchRollback();
        rollback.Touch(path, 0);
        rollback.Commit();
        rollback.MarkFailed();

        Assert.False(rollback.IsPending);
        rollback.Apply();
        Assert.Equal("kept\n", File.ReadAllText(path));
    }

    // A writer abandoned after a stall: its successor may have written past the failed batch's start.
    [Fact]
    public void Apply_AfterDisarm_CutsNothing()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("a.log");
        File.WriteAllText(path, "kept\n");
        var rollback = new BatchRollback();
        rollback.Touch(path, 5);
        File.AppendAllText(path, "the successor's line\n");
        rollback.MarkFailed();

        rollback.Disarm();
        rollback.Apply();

        Assert.Equal("kept\nthe successor's line\n", File.ReadAllText(path));
        Assert.False(rollback.IsPending);
    }

    [Fact]
    public void Apply_WhenTheFileOrItsFolderIsGone_HasNothingToDo()
    {
        using var tmp = new TempFolder();
        var path = Path.Combine(tmp.Path, "gone", "a.log");
        var rollback = new BatchRollback();
        rollback.Touch(path, 0);
        rollback.MarkFailed();
        rollback.Apply();
        Assert.False(rollback.IsPending);
    }
}

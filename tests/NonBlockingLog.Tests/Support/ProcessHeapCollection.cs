namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Tests that measure the whole process's heap run alone, after the others: a test allocating or freeing beside them
/// would move the figure they check.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessHeapCollection
{
    public const string Name = "the process's heap, measured alone";
}

namespace NonBlockingLog.Consumption;

/// <summary>The destination reported through its failure listener, instead of throwing, that it did not write an event.</summary>
internal sealed class DestinationFailedException(string message, Exception? inner) : Exception(message, inner);

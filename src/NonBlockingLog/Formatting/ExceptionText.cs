namespace NonBlockingLog.Formatting;

/// <summary>
/// What a text line shows of an exception: its ToString(), or, for an exception that cannot be printed, the
/// description Serilog 4's formatter writes instead, so that the line is still whole and says why.
/// </summary>
internal static class ExceptionText
{
    public static string Of(Exception exception)
    {
        try
        {
            return exception.ToString() ?? "";
        }
        catch (Exception ex)
        {
            return $"[Exception.ToString() failed: {ex.Message}] Original exception type: {exception.GetType().FullName}";
        }
    }
}

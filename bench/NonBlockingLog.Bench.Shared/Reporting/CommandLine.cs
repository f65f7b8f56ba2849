namespace NonBlockingLog.Bench.Reporting;

/// <summary>The start of each bench console tool: its options from the command line, or the reason there are none.</summary>
public static class CommandLine
{
    /// <summary>
    /// The options <paramref name="parse"/> makes of <paramref name="args"/>; or null, with the exit code to return:
    /// 2 for an argument it rejected (with <see cref="ArgumentException"/>: the message and the usage go to stderr),
    /// 0 when the options ask for help (the usage goes to stderr).
    /// </summary>
    public static T? Parse<T>(string[] args, Func<string[], T> parse, Func<T, bool> isHelp, string usage, out int exitCode)
        where T : class
    {
        exitCode = 0;
        T options;
        try
        {
            options = parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(usage);
            exitCode = 2;
            return null;
        }

        if (!isHelp(options)) return options;
        Console.Error.WriteLine(usage);
        return null;
    }
}

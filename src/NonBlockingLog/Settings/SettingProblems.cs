namespace NonBlockingLog.Settings;

/// <summary>
/// Where the setting rules report what they reject, so that each rule is written once: the entry points throw
/// the first problem as an <see cref="ArgumentException"/>, the configuration validator lists every one.
/// </summary>
internal sealed class SettingProblems
{
    readonly List<SettingProblem> _found = [];

    public IReadOnlyList<SettingProblem> Found => _found;

    /// <summary>A value outside the valid range; thrown as <see cref="ArgumentOutOfRangeException"/>.</summary>
    public void OutOfRange(string setting, object? value, string message) => _found.Add(new(setting, message, value, IsOutOfRange: true));

    /// <summary>A missing or malformed value; thrown as <see cref="ArgumentException"/>.</summary>
    public void Invalid(string setting, string message) => _found.Add(new(setting, message, Value: null, IsOutOfRange: false));

    public void ThrowFirst()
    {
        if (_found.Count > 0) throw _found[0].ToException();
    }
}

/// <summary>One rejected setting: its name (the JSON key), and a message that names it and says what is valid.</summary>
internal sealed record SettingProblem(string Setting, string Message, object? Value, bool IsOutOfRange)
{
    public ArgumentException ToException() => IsOutOfRange
        ? new ArgumentOutOfRangeException(Setting, Value, Message)
        : new ArgumentException(Message, Setting);
}

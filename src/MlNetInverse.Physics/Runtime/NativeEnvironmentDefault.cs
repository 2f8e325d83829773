namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// A library default for a variable that native code reads once, when it loads: set in the native environment with a
/// marker (<see cref="NativeEnvironment.SetDefault"/>) unless the user set the variable or its alternative, which are
/// left alone. What was decided is kept for <c>info</c>. <see cref="CpuKernelIsa"/> and <see cref="OpenMpWaitPolicy"/>
/// are its uses.
/// </summary>
/// <param name="variable">The variable the default goes into.</param>
/// <param name="defaultValue">The value this library sets when the user has set neither variable.</param>
/// <param name="alternateVariable">A second variable that, set by the user, stands for the first (a legacy name, a finer knob).</param>
/// <param name="alternateLabel">Words before the alternative's value in the description ("" for none).</param>
/// <param name="markerVariable">Marks a value this library set, so a child process (the CLI re-executes itself) still reports it as the default.</param>
/// <param name="reason">Why the default, and how to undo it, for the description.</param>
internal sealed class NativeEnvironmentDefault(
    string variable, string defaultValue, string alternateVariable, string alternateLabel, string markerVariable, string reason)
{
    private readonly object _gate = new();
    private string? _description;

    /// <summary>Sets the default in the native environment unless the user set a value; idempotent.</summary>
    public void Apply()
    {
        lock (_gate)
        {
            if (_description is not null) return;
            _description = Decide(Environment.GetEnvironmentVariable(variable), Environment.GetEnvironmentVariable(alternateVariable),
                Environment.GetEnvironmentVariable(markerVariable), out bool set);
            if (set) NativeEnvironment.SetDefault(variable, defaultValue, markerVariable);
        }
    }

    /// <summary>The value in force and who set it.</summary>
    public string Describe()
    {
        Apply();
        return _description!;
    }

    /// <summary>
    /// The description given the two variables' current values and the marker; <paramref name="set"/> says whether to set
    /// the default (also when a parent process set it: setting it again is harmless).
    /// </summary>
    public string Decide(string? current, string? alternate, string? marker, out bool set)
    {
        set = false;
        if (!string.IsNullOrEmpty(marker) && current?.Trim() == defaultValue) current = null;
        if (!string.IsNullOrWhiteSpace(current)) return $"{current.Trim()} ({variable} set by the user)";
        if (!string.IsNullOrWhiteSpace(alternate)) return $"{alternateLabel}{alternate.Trim()} ({alternateVariable} set by the user)";
        set = true;
        return $"{defaultValue} (default: {reason})";
    }
}

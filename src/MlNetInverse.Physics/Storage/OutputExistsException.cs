namespace MlNetInverse.Physics.Storage;

/// <summary>
/// An output already exists and holds something this run must not replace silently: another kind of file, or the same
/// kind written with other settings. Thrown unless the caller allows overwriting (the CLI's <c>--overwrite</c>).
/// </summary>
public sealed class OutputExistsException : IOException
{
    /// <summary>Creates the exception; <paramref name="reason"/> says what the existing file holds.</summary>
    public OutputExistsException(string output, string reason, Exception? inner = null)
        : base($"'{output}' already exists and {reason}; replacing it needs --overwrite (Overwrite = true), or choose another output.", inner)
    {
        Output = output;
    }

    /// <summary>Full path of the existing output.</summary>
    public string Output { get; }
}

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// A saved torch-backed component that cannot be read back: wrong format version, missing or damaged weight stream,
/// a header that does not parse. The message is one line naming the component and the problem;
/// <see cref="ModelFile"/> finds it inside ML.NET's wrapping exceptions and reports it with the file name.
/// </summary>
internal sealed class TorchModelFormatException : Exception
{
    public TorchModelFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

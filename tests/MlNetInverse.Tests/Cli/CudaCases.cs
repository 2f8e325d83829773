namespace MlNetInverse.Tests.Cli;

/// <summary>Bad-input cases that only are bad input on a machine without CUDA.</summary>
internal static class CudaCases
{
    /// <summary>Adds (<paramref name="commandLine"/>, <paramref name="expected"/>) when torch sees no CUDA device.</summary>
    public static TheoryData<string, string> WithoutCudaOnly(this TheoryData<string, string> data, string commandLine, string expected)
    {
        if (!TorchSharp.torch.cuda.is_available()) data.Add(commandLine, expected);
        return data;
    }
}

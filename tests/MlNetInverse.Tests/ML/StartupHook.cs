using MlNetInverse.Tests.ML;

/// <summary>
/// Startup hook of the test assembly (the runtime requires this exact name, in the global namespace). It does
/// nothing unless <see cref="FreshProcessModelRun"/> started this process with its environment variables; then it
/// runs the child's work and ends the process before the test SDK's empty Main.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var generator = Environment.GetEnvironmentVariable(MlNetInverse.Tests.Onnx.OnnxChildRun.ModelVariable);
        var generatorOutput = Environment.GetEnvironmentVariable(MlNetInverse.Tests.Onnx.OnnxChildRun.OutputVariable);
        if (!string.IsNullOrEmpty(generator) && !string.IsNullOrEmpty(generatorOutput))
        {
            try
            {
                MlNetInverse.Tests.Onnx.OnnxChildRun.RunChild(generator, generatorOutput);
                Environment.Exit(0);
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                Environment.Exit(3);
            }
        }

        var model = Environment.GetEnvironmentVariable(FreshProcessModelRun.ModelVariable);
        var output = Environment.GetEnvironmentVariable(FreshProcessModelRun.OutputVariable);
        if (string.IsNullOrEmpty(model) || string.IsNullOrEmpty(output)) return;
        try
        {
            FreshProcessModelRun.RunChild(model, output);
            Environment.Exit(0);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            Environment.Exit(3);
        }
    }
}

// A user's app on the MlNetInverse package: fit a tiny generation chain next to built-in ML.NET transforms, save one zip,
// and (in a second process) load it and turn target absorptions into microstructure images.
//   dotnet run -- fit <microstructures.parquet> <model.zip>
//   dotnet run -- generate <model.zip> <output folder>
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;

// First line, before any side effect: where tcmalloc is installed the app runs again with it preloaded (TorchSharp
// training is 4-7x faster than with glibc malloc on small VMs); MLNET_INVERSE_ALLOCATOR=system opts out.
if (FastAllocator.RunWithFastAllocatorIfAvailable() is { } exitCode) return exitCode;

return args switch
{
    ["fit", var dataset, var model] => Fit(dataset, model),
    ["generate", var model, var folder] => Generate(model, folder),
    _ => Usage(),
};

static int Fit(string datasetPath, string modelPath)
{
    var mlContext = new MLContext(seed: 0);
    // Progress comes through ML.NET's log: one line per training epoch of each piece.
    mlContext.Log += (_, e) => { if (e.Message.Contains(" epoch ")) Console.WriteLine(e.Message); };

    // The shipped dataset's first 1,024 maps: enough to show the chain, small enough for seconds.
    IDataView data = mlContext.Data.TakeRows(mlContext.Inverse().LoadMicrostructures(datasetPath), 1024);

    // One estimator trains what generation needs (absorption surrogate, VQ-VAE, MDN) and returns the scoring chain:
    // target absorption -> MDN draws -> codebook -> decoded designs -> surrogate screen. Tiny settings: seconds, not quality.
    var pipeline = mlContext.Transforms.Conversion.ConvertType("Absorption", outputKind: DataKind.Single)   // targets may come as double
        .Append(mlContext.Inverse().GenerateMicrostructures(new GenerateMicrostructuresOptions
        {
            SurrogateTraining = new AbsorptionSurrogateEstimatorOptions
            {
                Network = new AbsorptionSurrogateOptions { BaseChannels = 4, HiddenUnits = 16 },
                Training = new SurrogateTrainingOptions { Epochs = 8, BatchSize = 32 },
            },
            VqVaeTraining = new VqVaeEstimatorOptions
            {
                Network = new VqVaeOptions { CodebookSize = 32, CodeDimension = 4, LatentGridSize = 8, HiddenChannels = 8 },
                Training = new VqVaeTrainingOptions { Epochs = 6, BatchSize = 32, LearningRate = 3e-3 },
            },
            MdnTraining = new MdnEstimatorOptions
            {
                Network = new MdnOptions { Components = 4, HiddenUnits = 32 }, Training = new MdnTrainingOptions { Epochs = 20 },
            },
            SamplesPerTarget = 4,                                              // designs per target
            Oversampling = 2,                                                  // draw 8, keep the 4 the surrogate puts closest
            Calibration = new MdnCalibrationOptions { GridPoints = 8, DrawsPerPoint = 16 },
        }));
    ITransformer model = pipeline.Fit(data);

    var targets = mlContext.Data.LoadFromEnumerable(new[] { new Target { Absorption = 0.65 } });
    mlContext.Model.Save(model, targets.Schema, modelPath);                  // one zip: every weight inside
    Console.WriteLine($"saved {modelPath} ({new FileInfo(modelPath).Length:N0} bytes)");
    return 0;
}

static int Generate(string modelPath, string folder)
{
    Console.WriteLine($"allocator: {FastAllocator.Describe()}");
    var mlContext = new MLContext();
    ITransformer model = mlContext.Model.Load(modelPath, out _);
    var targets = mlContext.Data.LoadFromEnumerable(new[] { new Target { Absorption = 0.60 }, new Target { Absorption = 0.70 } });
    var designs = mlContext.Data.CreateEnumerable<Design>(model.Transform(targets), reuseRowObject: false).ToArray();

    Directory.CreateDirectory(folder);
    int written = 0;
    foreach (var (design, target) in designs.Zip(new[] { 0.60, 0.70 }))
    {
        // GeneratedImages is a Vector<Single, N, 64, 64>: design n's pixels at n * 4096, x-major.
        int count = design.PredictedAbsorption.Length, side = (int)Math.Sqrt(design.GeneratedImages.Length / count);
        for (int n = 0; n < count; n++)
        {
            var pixels = design.GeneratedImages.AsSpan(n * side * side, side * side);
            if (!pixels.ToArray().All(p => p is 0f or 1f)) { Console.Error.WriteLine("error: a generated image is not binary"); return 1; }
            WriteMap(Path.Combine(folder, $"target-{target:0.00}-{n}.txt"), pixels, side);
            written++;
        }
        Console.WriteLine($"target {target:0.00}: {count} designs of {side}x{side}, surrogate absorption {string.Join(" ", design.PredictedAbsorption.Select(a => a.ToString("0.000")))}");
    }
    Console.WriteLine($"wrote {written} images to {folder}");
    return written == 0 ? 1 : 0;
}

// The CLI's 0/1 map format (`mlnet-inverse simulate --pattern`): one line per x, one character per y, as the images lie.
static void WriteMap(string path, ReadOnlySpan<float> pixels, int side)
{
    using var writer = new StreamWriter(path);
    for (int x = 0; x < side; x++)
    {
        var line = new char[side];
        for (int y = 0; y < side; y++) line[y] = pixels[x * side + y] > 0.5f ? '1' : '0';
        writer.WriteLine(line);
    }
}

static int Usage()
{
    Console.Error.WriteLine("usage: fit <microstructures.parquet> <model.zip> | generate <model.zip> <output folder>");
    return 2;
}

sealed class Target
{
    public double Absorption { get; set; }
}

sealed class Design
{
    public float[] GeneratedImages { get; set; } = [];

    public float[] PredictedAbsorption { get; set; } = [];
}

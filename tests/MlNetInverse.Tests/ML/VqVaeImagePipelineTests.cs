using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.Cli.Patterns;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

/// <summary>PNG microstructures through ML.NET's image pipeline (ImageAnalytics) into the VQ-VAE.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class VqVaeImagePipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly MLContext _mlContext = new(seed: 1);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenAPngFolder_WhenLoadedWithImageAnalyticsAndFitted_ThenTheVqVaeEncodesEveryImage()
    {
        WriteGrfPngs(24);
        var images = _mlContext.Inverse().LoadMicrostructureImages(_folder.Path);

        using var vqVae = _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae(epochs: 2)).Fit(images);
        var codes = vqVae.Transform(images).GetColumn<int[]>(MicrostructureColumns.CodeIndices).ToArray();

        Assert.Equal(24, codes.Length);
        Assert.All(codes, c => Assert.Equal(16 * 16, c.Length));
        Assert.Equal(2, vqVae.TrainingSummary!.History.Count);
    }

    [Fact]
    public void GivenImageReadingAndTheVqVaeInOneModel_WhenSavedAndLoaded_ThenPathsMapToTheSameLatents()
    {
        var names = WriteGrfPngs(12);
        var paths = _mlContext.Data.LoadFromEnumerable(names.Select(n => new PathRow { ImagePath = n }).ToArray());
        var model = _mlContext.Inverse().ReadMicrostructureImages(imageFolder: _folder.Path)
            .Append(_mlContext.Inverse().VqVae(InverseModelData.TinyVqVae(epochs: 1)))
            .Fit(paths);
        var path = _folder.File("png-vqvae.zip");
        _mlContext.Inverse().SaveModel(model, paths.Schema, path);

        var loaded = new MLContext().Inverse().LoadModel(path, out _);

        Assert.Equal(InverseModelData.Bits(model.Transform(paths), MicrostructureColumns.Latent),
            InverseModelData.Bits(loaded.Transform(paths), MicrostructureColumns.Latent));
    }

    private string[] WriteGrfPngs(int count)
    {
        var generator = new GaussianRandomFieldGenerator();
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            var map = generator.Generate(new GrfParameters(SpectralDensityFamily.Ring, 2 + i % 4, 0.8, 0.2 + 0.6 * i / count), seed: 70 + i);
            names[i] = $"grf-{i:D2}.png";
            PatternPng.Save(map, _folder.File(names[i]));
        }
        return names;
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}

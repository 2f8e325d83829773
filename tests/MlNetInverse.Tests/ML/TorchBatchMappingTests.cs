using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Tests.Models;
using Xunit.Abstractions;

namespace MlNetInverse.Tests.ML;

/// <summary>Batched mapping: speed, rows kept with their own values (also when shuffled), and no model work for pass-through reads.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class TorchBatchMappingTests : IDisposable
{
    private const int ManyRows = 5000;
    private readonly ITestOutputHelper _output;
    private readonly MLContext _mlContext = new(seed: 1);
    private readonly VqVaeTransformer _vqVae;
    private readonly AbsorptionSurrogateTransformer _surrogate;
    private readonly VqVaeDecodeTransformer _decoder;
    private readonly ITransformer _chain;

    public TorchBatchMappingTests(ITestOutputHelper output)
    {
        _output = output;
        var train = InverseModelData.View(_mlContext, 32);
        _vqVae = _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae(epochs: 1)).Fit(train);
        _surrogate = _mlContext.Inverse().AbsorptionSurrogate(InverseModelData.TinySurrogate(epochs: 1)).Fit(train);
        _decoder = _mlContext.Inverse().VqVaeDecode(_vqVae).Fit(_vqVae.Transform(train));
        _chain = new TransformerChain<ITransformer>(_vqVae, _decoder, _surrogate);
    }

    public void Dispose()
    {
        _vqVae.Dispose();
        _surrogate.Dispose();
        _decoder.Dispose();
    }

    [Fact]
    public void GivenFiveThousandRows_WhenTransformedThroughVqVaeDecoderAndSurrogate_ThenItTakesSecondsAndMatchesRowByRowMapping()
    {
        using var threads = new TorchThreadScope(1);
        var rows = RandomRows(ManyRows, seed: 9);
        var data = _mlContext.Data.LoadFromEnumerable(rows);

        var watch = Stopwatch.StartNew();
        var output = _chain.Transform(data);
        var codes = output.GetColumn<int[]>(MicrostructureColumns.CodeIndices).ToArray();
        var decoded = output.GetColumn<float[]>(MicrostructureColumns.DecodedImage).ToArray();
        var absorption = output.GetColumn<float>(MicrostructureColumns.PredictedAbsorption).ToArray();
        double batched = watch.Elapsed.TotalSeconds;

        using var engine = _mlContext.Model.CreatePredictionEngine<IndexedRow, Prediction>(_chain);
        int[] probes = [0, 255, 256, 257, 4863, 4864, ManyRows - 1]; // batch boundaries of 256 and the short last batch
        watch.Restart();
        foreach (int i in probes)
        {
            var prediction = engine.Predict(rows[i]);
            Assert.Equal(codes[i], prediction.CodeIndices);
            Assert.Equal(decoded[i], prediction.DecodedImage);
            Assert.Equal(BitConverter.SingleToInt32Bits(absorption[i]), BitConverter.SingleToInt32Bits(prediction.PredictedAbsorption));
        }
        double perRow = watch.Elapsed.TotalSeconds / probes.Length;

        _output.WriteLine($"{ManyRows} rows batched: {batched:F2} s ({ManyRows / batched:F0} rows/s); prediction engine: {perRow * 1000:F1} ms/row (1 torch thread)");
        Assert.Equal(ManyRows, absorption.Length);
        Assert.True(batched < 60, $"batched mapping of {ManyRows} rows took {batched:F1} s");
    }

    [Fact]
    public void GivenAShuffledCursor_WhenRowsAreMappedInBatches_ThenEveryRowKeepsItsOwnOutputs()
    {
        var rows = RandomRows(600, seed: 4);
        var data = _mlContext.Data.LoadFromEnumerable(rows);
        var inOrder = _vqVae.Transform(data);
        var expected = inOrder.GetColumn<int[]>(MicrostructureColumns.CodeIndices).ToArray();

        var shuffled = _mlContext.Data.ShuffleRows(inOrder, seed: 3);
        var indices = shuffled.GetColumn<int>(nameof(IndexedRow.Index)).ToArray();
        var codes = shuffled.GetColumn<int[]>(MicrostructureColumns.CodeIndices).ToArray();

        Assert.NotEqual(Enumerable.Range(0, rows.Length), indices);
        Assert.Equal(indices.Order(), Enumerable.Range(0, rows.Length));
        for (int k = 0; k < indices.Length; k++) Assert.Equal(expected[indices[k]], codes[k]);
    }

    [Fact]
    public void GivenACursorWithARandomOrder_WhenItReadsPassThroughAndOutputColumns_ThenTheyBelongToTheSameRow()
    {
        var rows = RandomRows(300, seed: 5);
        // A cached view can shuffle, so the random order reaches the input cursor the batches are read from.
        var source = _mlContext.Data.Cache(_mlContext.Data.LoadFromEnumerable(rows));
        var mapped = _surrogate.Transform(source);
        var expected = mapped.GetColumn<float>(MicrostructureColumns.PredictedAbsorption).ToArray();
        Assert.True(mapped.CanShuffle);

        using var cursor = mapped.GetRowCursor(mapped.Schema, new Random(8));
        var index = cursor.GetGetter<int>(mapped.Schema[nameof(IndexedRow.Index)]);
        var prediction = cursor.GetGetter<float>(mapped.Schema[MicrostructureColumns.PredictedAbsorption]);
        int seen = 0, value = 0, outOfOrder = 0;
        float predicted = 0;
        while (cursor.MoveNext())
        {
            index(ref value);
            if (value != seen) outOfOrder++;
            prediction(ref predicted);
            Assert.Equal(expected[value], predicted);
            Assert.Equal(seen++, cursor.Position);
        }
        Assert.Equal(rows.Length, seen);
        Assert.True(outOfOrder > rows.Length / 2, $"only {outOfOrder} rows came out of order");
    }

    [Fact]
    public void GivenOnlyPassThroughColumnsAreRead_WhenTheModelIsGone_ThenNoForwardPassIsNeeded()
    {
        var rows = RandomRows(10, seed: 6);
        using var surrogate = _mlContext.Inverse().AbsorptionSurrogate(InverseModelData.TinySurrogate(epochs: 1))
            .Fit(_mlContext.Data.LoadFromEnumerable(InverseModelData.Rows(16)));
        var mapped = surrogate.Transform(_mlContext.Data.LoadFromEnumerable(rows));
        surrogate.Dispose();

        Assert.Equal(Enumerable.Range(0, 10), mapped.GetColumn<int>(nameof(IndexedRow.Index)));
        Assert.Throws<ObjectDisposedException>(() => mapped.GetColumn<float>(MicrostructureColumns.PredictedAbsorption).ToArray());
    }

    /// <summary>Random binary 64x64 images (cheap to make in bulk) with their row index.</summary>
    private static IndexedRow[] RandomRows(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var image = new float[InverseModelData.Pixels];
            for (int p = 0; p < image.Length; p++) image[p] = random.Next(2);
            return new IndexedRow { Index = i, Image = image, Absorption = 0.5f };
        }).ToArray();
    }

    private sealed class IndexedRow
    {
        public int Index { get; set; }

        [VectorType(InverseModelData.Pixels)]
        public float[] Image { get; set; } = [];

        public float Absorption { get; set; }
    }

    private sealed class Prediction
    {
        public int[] CodeIndices { get; set; } = [];

        public float[] DecodedImage { get; set; } = [];

        public float PredictedAbsorption { get; set; }
    }
}

using System.Collections.Concurrent;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Tests.Models;
using TorchSharp;

namespace MlNetInverse.Tests.Physics.Rcwa;

/// <summary>
/// The solver owns its thread policy: whatever torch thread count the caller has, every wavelength is solved with one
/// intra-op thread, wavelengths and patterns are shared out over workers, and results do not depend on either.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class RcwaThreadPolicyTests
{
    private static readonly double[] Wavelengths = [420, 470, 520, 570, 620, 670];

    [Fact]
    public void GivenACallerAtTwoTorchThreads_WhenEveryEntryPointSimulates_ThenEachWavelengthIsSolvedOnOneTorchThread()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(25, FourierFactorization.Li, Wavelengths));
        var seen = new ConcurrentBag<int>();
        solver.SolvingWavelength = _ => seen.Add(torch.get_num_threads());
        var pattern = RcwaReference.Pattern("rand1");
        using var caller = new TorchThreadScope(2);

        solver.Simulate(pattern);
        solver.Simulate(pattern, workers: 3);
        solver.SimulateMany([pattern, RcwaReference.Pattern("checker")], workers: 2);
        solver.SimulateWavelength(pattern, 500);

        Assert.Equal(Wavelengths.Length * 4 + 1, seen.Count);
        Assert.All(seen, threads => Assert.Equal(1, threads));
        Assert.Equal(2, torch.get_num_threads());   // the caller's own setting is back
    }

    [Fact]
    public void GivenOnePatternOfManyWavelengths_WhenSimulatedOnTwoWorkers_ThenTwoWavelengthsAreSolvedAtOnce()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(9, FourierFactorization.Laurent, Wavelengths));
        // The first two wavelengths to start wait for each other: only a second worker can release the first.
        using var meeting = new Barrier(2);
        int started = 0;
        bool met = true;
        solver.SolvingWavelength = _ =>
        {
            if (Interlocked.Increment(ref started) <= 2 && !meeting.SignalAndWait(TimeSpan.FromSeconds(60))) met = false;
        };

        solver.Simulate(RcwaReference.Pattern("rand1"), workers: 2);

        Assert.True(met, "no second worker took a wavelength within 60 s");
    }

    [Fact]
    public void GivenAnyWorkerCountAndCallerThreads_WhenSimulated_ThenTheResponsesAreBitIdentical()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(49, FourierFactorization.Li, Wavelengths));
        var patterns = new[] { "rand1", "lamellar" }.Select(RcwaReference.Pattern).ToArray();
        var reference = patterns.Select(p => solver.Simulate(p)).ToArray();
        using var caller = new TorchThreadScope(2);

        var many = solver.SimulateMany(patterns, workers: 3);
        for (int i = 0; i < patterns.Length; i++)
        {
            Assert.Equal(reference[i].Wavelengths, solver.Simulate(patterns[i], workers: 2).Wavelengths);
            Assert.Equal(reference[i].Wavelengths, many[i].Wavelengths);
            Assert.Equal(reference[i].Wavelengths[2], solver.SimulateWavelength(patterns[i], Wavelengths[2]));
        }
    }

    [Fact]
    public async Task GivenTheShippedDataset_WhenAMapIsSimulatedOnTheWorkers_ThenItsStoredLabelsAreReproduced()
    {
        // data/microstructures.parquet was labelled by 'data generate' (one pattern per worker, one torch thread each);
        // the wavelengths shared out over workers must give the same labels.
        var path = Path.Combine(MlNetInverse.Cli.Runtime.RepositoryLocator.FindRoot([Environment.CurrentDirectory, AppContext.BaseDirectory]) ?? ".", "data", "microstructures.parquet");
        await using var reader = await MicrostructureDatasetFile.OpenAsync(path);
        var record = (await reader.ReadRowGroupAsync(0))[0];
        using var solver = new RcwaSolver(reader.Stack);

        var response = solver.Simulate(record.Map, workers: 2);

        Assert.Equal(record.WavelengthAbsorptions.Count, response.Wavelengths.Count);
        for (int k = 0; k < response.Wavelengths.Count; k++)
            Assert.Equal(record.WavelengthAbsorptions[k], response.Wavelengths[k].PatternedLayerAbsorptance, 1e-12);
        Assert.Equal(record.Absorption, response.Absorption, 1e-12);
    }

    [Fact]
    public void GivenProgressAndCancellation_WhenSimulatingMany_ThenEveryPatternIsReportedOnce_AndACancelStops()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(9, FourierFactorization.Laurent, Wavelengths));
        var patterns = Enumerable.Repeat(RcwaReference.Pattern("rand1"), 5).ToArray();
        var reports = new ConcurrentBag<int>();
        solver.SimulateMany(patterns, workers: 2, new InlineProgress(reports.Add));
        Assert.Equal([1, 2, 3, 4, 5], reports.Order());

        using var cancellation = new CancellationTokenSource();
        solver.SolvingWavelength = _ => cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => solver.SimulateMany(patterns, workers: 2, cancellationToken: cancellation.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Simulate(patterns[0], workers: 0));
    }

    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

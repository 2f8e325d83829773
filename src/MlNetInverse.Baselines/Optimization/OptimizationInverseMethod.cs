using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>
/// The optimisation-based inverse baseline (paper Table I; Yang et al. 2021): Bayesian optimisation over the three GRF
/// parameters within the dataset's ranges. Each candidate is realised by <see cref="GaussianRandomFieldGenerator"/>
/// and judged by the evaluator (RCWA in production), minimising |A - target| / target with a fixed budget of
/// simulations. No training: every target is a new search.
/// </summary>
/// <remarks>
/// <code>
/// *** Binary format ***
/// header   ModelStream header: kind "OptimizationInverseMethod", version 1, options (OptimizationInverseOptions) as JSON
/// stack    string: the optical stack as OpticalStackFile JSON, or "" when the method was built on another evaluator
/// </code>
/// </remarks>
public sealed class OptimizationInverseMethod : IInverseDesignMethod
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(OptimizationInverseMethod);

    /// <summary>Version of the saved format.</summary>
    public const int FormatVersion = 1;

    private readonly IAbsorptionEvaluator _absorption;
    private readonly RcwaAbsorption? _owned;
    private readonly GaussianRandomFieldGenerator _generator;

    /// <summary>Creates the method judged by RCWA in <paramref name="stack"/> (the dataset's stack, to match its labels).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="stack">The optical stack, wavelengths and solver settings.</param>
    /// <param name="rcwaThreads">Initial candidates simulated in parallel (threads). Default 1.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public OptimizationInverseMethod(OptimizationInverseOptions options, OpticalStack stack, int rcwaThreads = 1)
        : this(options, new RcwaAbsorption(stack, rcwaThreads), owned: true)
    {
    }

    /// <summary>Creates the method judged by <paramref name="absorption"/> (not owned; e.g. an analytic function in tests).</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public OptimizationInverseMethod(OptimizationInverseOptions options, IAbsorptionEvaluator absorption)
        : this(options, absorption, owned: false)
    {
    }

    private OptimizationInverseMethod(OptimizationInverseOptions options, IAbsorptionEvaluator absorption, bool owned)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(absorption);
        try
        {
            options.Validate();
        }
        catch
        {
            if (owned) ((IDisposable)absorption).Dispose();
            throw;
        }
        Options = options;
        _absorption = absorption;
        _owned = owned ? (RcwaAbsorption)absorption : null;
        _generator = new GaussianRandomFieldGenerator(options.ImageSize);
        Space = new GrfDesignSpace(options.Ranges, options.ImageSize);
    }

    /// <inheritdoc/>
    public string Name => BaselineNames.Optimization;

    /// <summary>The settings.</summary>
    public OptimizationInverseOptions Options { get; }

    /// <summary>The design variables.</summary>
    public GrfDesignSpace Space { get; }

    /// <summary>What judges the candidates (e.g. "rcwa").</summary>
    public string Evaluator => _absorption.Name;

    /// <summary>Searches for maps with absorption <paramref name="targetAbsorption"/>, spending the whole simulation budget.</summary>
    /// <param name="targetAbsorption">Target absorption (finite, &gt; 0).</param>
    /// <param name="seed">Seed of the initial design, the candidates and the GRF noise.</param>
    /// <param name="progress">Receives every simulated candidate.</param>
    /// <param name="cancellationToken">Checked before every simulation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bad target.</exception>
    public OptimizationInverseResult Optimize(
        double targetAbsorption, long seed, IProgress<OptimizationDesign>? progress = null, CancellationToken cancellationToken = default)
    {
        BaselineArguments.CheckGeneration(targetAbsorption, 1);
        long sharedSeed = RealizationSeed(seed, -1);
        var designs = new List<OptimizationDesign>();
        double[] Objective(IReadOnlyList<double[]> points)
        {
            var candidates = points.Select((point, i) =>
            {
                int index = designs.Count + i;
                var parameters = Space.ToParameters(point);
                long realization = Options.SameRealizationForAllCandidates ? sharedSeed : RealizationSeed(seed, index);
                return (Index: index, Parameters: parameters, Seed: realization, Map: _generator.Generate(parameters, realization));
            }).ToList();
            var absorption = _absorption.Evaluate(candidates.Select(c => c.Map).ToList(), cancellationToken);
            var reps = new double[candidates.Count];
            for (int i = 0; i < candidates.Count; i++)
            {
                reps[i] = Math.Abs(absorption[i] - targetAbsorption) / targetAbsorption;
                var design = new OptimizationDesign(candidates[i].Index, candidates[i].Parameters, candidates[i].Seed, candidates[i].Map, absorption[i], reps[i]);
                designs.Add(design);
                progress?.Report(design);
            }
            return reps;
        }
        var optimization = new BayesianOptimizer(Options.Optimizer).Minimize(GrfDesignSpace.Dimension, Objective, seed, cancellationToken: cancellationToken);
        return new OptimizationInverseResult(targetAbsorption, designs, optimization);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Runs <see cref="Optimize"/> and returns the <paramref name="count"/> best distinct maps found (fewer only when the
    /// budget produced fewer distinct maps).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A bad target, or more maps than the simulation budget.</exception>
    public IReadOnlyList<Microstructure> Generate(double targetAbsorption, int count, long seed, CancellationToken cancellationToken = default)
    {
        BaselineArguments.CheckGeneration(targetAbsorption, count);
        if (count > Options.Optimizer.Budget)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"The optimisation baseline returns at most its simulation budget ({Options.Optimizer.Budget}) maps; got count = {count}.");
        return Optimize(targetAbsorption, seed, cancellationToken: cancellationToken).RankedDistinct().Take(count).Select(d => d.Map).ToList();
    }

    /// <inheritdoc/>
    public void Save(string path) => BaselineFile.Write(path, writer =>
    {
        ModelStream.WriteHeader(writer, Kind, FormatVersion, Options);
        writer.Write(_owned is null ? string.Empty : OpticalStackFile.ToJson(_owned.Stack));
    });

    /// <summary>
    /// Reads a method saved by <see cref="Save"/>. With <paramref name="absorption"/> null the saved stack is simulated
    /// by RCWA; a method saved from another evaluator needs one passed here.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved optimisation baseline, an unsupported version, bad options, or no stack and no evaluator.</exception>
    public static OptimizationInverseMethod Load(string path, IAbsorptionEvaluator? absorption = null, int rcwaThreads = 1) => BaselineFile.Read(path, reader =>
    {
        var options = ModelStream.ReadHeader<OptimizationInverseOptions>(reader, Kind, FormatVersion);
        string stack;
        try
        {
            stack = reader.ReadString();
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The saved {Kind} ends before its optical stack.", e);
        }
        try
        {
            if (absorption is not null) return new OptimizationInverseMethod(options, absorption);
            if (stack.Length == 0)
                throw new InvalidDataException(
                    $"'{path}' was saved from a '{Kind}' judged by a custom evaluator and holds no optical stack; pass an evaluator to Load.");
            return new OptimizationInverseMethod(options, OpticalStackFile.Parse(stack), rcwaThreads);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved {Kind} options or stack are invalid: {e.Message}", e);
        }
    });

    /// <summary>Releases the RCWA solver when this method created it.</summary>
    public void Dispose() => _owned?.Dispose();

    /// <summary>A non-negative GRF noise seed from the generation seed and the candidate index (-1: the run's shared seed).</summary>
    private static long RealizationSeed(long seed, int index) =>
        (long)(new SeededRandom(seed, BaselineRandom.RealizationSeeds, index).NextUInt64() & long.MaxValue);
}

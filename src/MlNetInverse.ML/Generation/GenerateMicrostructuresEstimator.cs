using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Internals;
using MlNetInverse.ML.Latents;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Schema;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;

namespace MlNetInverse.ML.Generation;

/// <summary>
/// The generation estimator: its Fit returns the scoring chain target absorption → N designs, made of
/// <see cref="MdnTransformer"/> (draws, calibrated or not), <see cref="MicrostructureDecodeTransformer"/> (decode,
/// binarize, surrogate absorption) and, with oversampling, <see cref="SampleSelectionTransformer"/> (surrogate screen).
/// Pieces given in <see cref="GenerateMicrostructuresOptions"/> (fitted transformers) are used as they are (copied:
/// the chain owns its weights); the missing ones are trained in Fit from microstructure training data (surrogate, then
/// VQ-VAE, optionally the latent file, then MDN). <see cref="GetOutputSchema"/> names a missing piece before anything trains.
/// The chain saves into one zip with <c>mlContext.Model.Save</c>.
/// </summary>
public sealed class GenerateMicrostructuresEstimator : IEstimator<TransformerChain<ITransformer>>
{
    private readonly IHost _host;
    private readonly GenerateMicrostructuresOptions _options;

    internal GenerateMicrostructuresEstimator(IHostEnvironment env, GenerateMicrostructuresOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(GenerateMicrostructuresEstimator));
        ArgumentNullException.ThrowIfNull(options);
        string[] outputs = [options.OutputColumnName, options.LatentsColumnName, options.PredictedAbsorptionColumnName, options.InTrainingRangeColumnName];
        foreach (var name in outputs.Append(options.TargetColumnName).Append(options.ImageColumnName))
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(options));
        if (outputs.Distinct().Count() != outputs.Length)
            throw new ArgumentException($"GenerateMicrostructuresOptions output columns ({string.Join(", ", outputs)}) need four different names.", nameof(options));
        if (options.SamplesPerTarget is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.SamplesPerTarget, $"GenerateMicrostructuresOptions.SamplesPerTarget must be at least 1; got {options.SamplesPerTarget}.");
        Models.Surrogate.SurrogateScreen.CheckSoftness(options.ScreenSoftness, options.ScreenVolumeFractionStrata);
        if (options.Oversampling < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Oversampling, $"GenerateMicrostructuresOptions.Oversampling must be at least 1; got {options.Oversampling}.");
        options.Calibration?.Validate();
        if (options.Surrogate is { } s && options.VqVae is { } v && s.Architecture.ImageSize != v.Architecture.ImageSize)
            throw new ArgumentException($"The surrogate takes {s.Architecture.ImageSize}x{s.Architecture.ImageSize} images but the VQ-VAE makes {v.Architecture.ImageSize}x{v.Architecture.ImageSize}.", nameof(options));
        if (options.Decoder is not null && (options.VqVae is not null || options.Surrogate is not null))
            throw new ArgumentException("GenerateMicrostructuresOptions.Decoder replaces VqVae and Surrogate; set either the decoder or those pieces, not both.", nameof(options));
        var architecture = options.VqVae?.Architecture ?? options.Decoder?.Architecture;
        if (options.Mdn is { } m && architecture is { } q && m.LatentDimension != VqVaeTransformer.LatentType(q).Size)
            throw new ArgumentException($"The MDN draws latents of {m.LatentDimension} values but the VQ-VAE's latents have {VqVaeTransformer.LatentType(q).Size}; they do not belong together.", nameof(options));
        if (options.CodePrior is { } prior)
        {
            if (options.Mdn is not null)
                throw new ArgumentException("GenerateMicrostructuresOptions.CodePrior and Mdn are both set; one sampler draws the latents: set either.", nameof(options));
            if (options.Calibration is not null)
                throw new ArgumentException("GenerateMicrostructuresOptions.Calibration calibrates an MDN; a code prior draws codes and takes none.", nameof(options));
            if (options.Decoder is null && options.VqVae is null)
                throw new ArgumentException("GenerateMicrostructuresOptions.CodePrior needs the decode step or VQ-VAE it was trained on: set Decoder (or VqVae).", nameof(options));
            var codebook = (options.Decoder?.VqVae ?? options.VqVae!.Model).Quantizer.Codebook;
            if (!prior.HasCodebook(codebook))
                throw new ArgumentException(
                    "The code prior was trained on another VQ-VAE's codebook than the one that decodes here (its codes would decode to other latents); train the prior on this model.", nameof(options));
        }
        _options = options;
    }

    private AbsorptionSurrogateTransformer? GivenSurrogate => _options.Surrogate ?? _options.VqVae?.Surrogate ?? _options.VqVaeTraining?.Surrogate;

    /// <summary>
    /// Checks that every piece is given or can be trained from the input's columns (the target column always; the
    /// image column when the VQ-VAE, MDN or surrogate is trained) and adds the four output columns.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A needed column is missing or has another type; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A piece is neither given nor trainable from this input; the message names it.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.TargetColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Target");
        bool hasImages = inputSchema.TryFindColumn(_options.ImageColumnName, out _);
        string noImages = $"the input has no '{_options.ImageColumnName}' column of training images (columns: {string.Join(", ", inputSchema.Select(c => c.Name))})";
        if (_options.Decoder is not null && Sampler is null)
            throw new InvalidOperationException(
                "GenerateMicrostructures with a Decoder needs the MDN too: set GenerateMicrostructuresOptions.Mdn (training one needs the VQ-VAE's encoder; give VqVae instead of Decoder to train it).");
        if (GivenSurrogate is null && _options.Decoder is null && !hasImages)
            throw new InvalidOperationException(
                $"GenerateMicrostructures needs an absorption surrogate: set GenerateMicrostructuresOptions.Surrogate (or give a VQ-VAE fitted with one), or fit on images with '{_options.TargetColumnName}' labels to train one; {noImages}.");
        if (_options.VqVae is null && _options.Decoder is null && !hasImages)
            throw new InvalidOperationException($"GenerateMicrostructures needs a VQ-VAE: set GenerateMicrostructuresOptions.VqVae, or fit on training data to train one; {noImages}.");
        if (Sampler is null && !hasImages)
            throw new InvalidOperationException($"GenerateMicrostructures needs an MDN: set GenerateMicrostructuresOptions.Mdn, or fit on training data to train one; {noImages}.");
        if (NeedsTraining)
            InputColumnCheck.Require(inputSchema, _options.ImageColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, "Image");
        var columns = inputSchema.ToDictionary(c => c.Name);
        void Add(string name, SchemaShape.Column.VectorKind kind, DataViewType type) => columns[name] = new SchemaShape.Column(name, kind, type, false);
        Add(_options.LatentsColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        Add(_options.InTrainingRangeColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance);
        Add(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        Add(_options.PredictedAbsorptionColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        return new SchemaShape(columns.Values);
    }

    private LatentSamplerTransformer? Sampler => (LatentSamplerTransformer?)_options.CodePrior ?? _options.Mdn;

    private bool NeedsTraining => Sampler is null || (_options.Decoder is null && (GivenSurrogate is null || _options.VqVae is null));

    /// <summary>
    /// Trains the missing pieces on <paramref name="input"/> (nothing is read when all are given) and returns the
    /// scoring chain.
    /// </summary>
    /// <exception cref="InvalidOperationException">A piece is neither given nor trainable from this input.</exception>
    /// <exception cref="OperationCanceledException"><c>mlContext.CancelExecution()</c> was called, or a training options' token fired.</exception>
    public TransformerChain<ITransformer> Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        GetOutputSchema(SchemaShape.Create(input.Schema)); // a missing piece fails before anything trains
        if (_options.Decoder is { } decoder) return Build(Sampler!, decoder);
        var trainedHere = new List<IDisposable>();
        try
        {
            var surrogate = GivenSurrogate ?? Keep(TrainSurrogate(input), trainedHere);
            _host.CheckAlive();
            var vqVae = _options.VqVae ?? Keep(TrainVqVae(input, surrogate), trainedHere);
            _host.CheckAlive();
            var sampler = Sampler ?? Keep(TrainMdn(input, vqVae), trainedHere);
            return Build(sampler, vqVae, surrogate);
        }
        finally
        {
            // The chain holds its own copies; what was trained only to build it is released now.
            foreach (var piece in trainedHere) piece.Dispose();
        }
    }

    /// <summary>The scoring chain from a fitted VQ-VAE and surrogate (their model copies make the decode step).</summary>
    internal TransformerChain<ITransformer> Build(LatentSamplerTransformer mdn, VqVaeTransformer vqVae, AbsorptionSurrogateTransformer surrogate) =>
        Build(mdn, draws => new MicrostructureDecodeTransformer(_host, vqVae.CopyModel(_options.Device), surrogate.CopyModel(), draws,
            _options.OutputColumnName, _options.PredictedAbsorptionColumnName, _options.LatentsColumnName, _options.Device));

    /// <summary>The scoring chain from a fitted or loaded decode step (its model copies).</summary>
    private TransformerChain<ITransformer> Build(LatentSamplerTransformer mdn, MicrostructureDecodeTransformer decoder) =>
        Build(mdn, draws => decoder.Copy(draws, _options.OutputColumnName, _options.PredictedAbsorptionColumnName, _options.LatentsColumnName, _options.Device));

    /// <summary>
    /// The scoring chain: sampler copy (draws, seed; an MDN keeps its calibration), the decode step for N x
    /// oversampling draws, optional screen. Every generation model is made here, so draw n of a target is the same
    /// wherever a chain is built.
    /// </summary>
    private TransformerChain<ITransformer> Build(LatentSamplerTransformer given, Func<int, MicrostructureDecodeTransformer> decoderFor)
    {
        int designs = _options.SamplesPerTarget ?? given.SamplesPerTarget;
        int draws = checked(designs * _options.Oversampling);
        long seed = _options.SamplingSeed ?? given.SamplingSeed;
        var sampler = given.CopySampler(draws, seed, _options.LatentsColumnName, _options.TargetColumnName, _options.InTrainingRangeColumnName);
        var decoder = decoderFor(draws);
        if (_options.Calibration is { } calibration && sampler is MdnTransformer mdn)
        {
            sampler = mdn.WithCalibration(MdnCalibrator.Measure(mdn, decoder, calibration));
            mdn.Dispose();
        }
        var steps = new List<ITransformer> { sampler, decoder };
        if (_options.Oversampling > 1)
            steps.Add(new SampleSelectionTransformer(_host, designs, draws, decoder.ImageSize * decoder.ImageSize, _options.TargetColumnName,
                _options.OutputColumnName, _options.PredictedAbsorptionColumnName, _options.LatentsColumnName, _options.ScreenVolumeFractionStrata,
                _options.ScreenSoftness, seed));
        return new TransformerChain<ITransformer>(steps.ToArray());
    }

    private AbsorptionSurrogateTransformer TrainSurrogate(IDataView input)
    {
        var options = _options.SurrogateTraining ?? new AbsorptionSurrogateEstimatorOptions
        {
            ImageColumnName = _options.ImageColumnName, LabelColumnName = _options.TargetColumnName,
        };
        return new AbsorptionSurrogateEstimator(_host, options).Fit(input);
    }

    private VqVaeTransformer TrainVqVae(IDataView input, AbsorptionSurrogateTransformer surrogate)
    {
        var options = _options.VqVaeTraining is { } given ? OptionsCopy.Of(given) : new VqVaeEstimatorOptions();
        options.ImageColumnName = _options.ImageColumnName;
        options.AbsorptionColumnName = _options.TargetColumnName;
        // The surrogate of the chain is the VQ-VAE's absorption-loss surrogate unless the options bring their own.
        if (options.Surrogate is null && options.SurrogateTraining is null) options.Surrogate = surrogate;
        return new VqVaeEstimator(_host, options).Fit(input);
    }

    private MdnTransformer TrainMdn(IDataView input, VqVaeTransformer vqVae)
    {
        var options = MdnTrainingOptions();
        options.SamplesPerTarget = _options.SamplesPerTarget ?? options.SamplesPerTarget;
        options.LatentColumnName = vqVae.LatentColumnName;
        IDataView encoded = vqVae.Transform(input);
        // The latent file is a by-product (written when its step is fitted; rows pass through unchanged).
        if (_options.LatentsPath is { } path)
            new LatentExtractionEstimator(_host, new LatentExtractionOptions
            {
                Path = path, AbsorptionColumnName = _options.TargetColumnName, LatentColumnName = vqVae.LatentColumnName, CodeIndicesColumnName = vqVae.CodeIndicesColumnName,
            }).Fit(encoded);
        _host.CheckAlive();
        return new MdnEstimator(_host, options).Fit(encoded);
    }

    private MdnEstimatorOptions MdnTrainingOptions()
    {
        var options = _options.MdnTraining is { } given ? OptionsCopy.Of(given) : new MdnEstimatorOptions { LabelColumnName = _options.TargetColumnName };
        options.TargetColumnName = _options.TargetColumnName;
        options.OutputColumnName = _options.LatentsColumnName;
        options.InTrainingRangeColumnName = _options.InTrainingRangeColumnName;
        return options;
    }

    private static T Keep<T>(T piece, List<IDisposable> owned) where T : IDisposable
    {
        owned.Add(piece);
        return piece;
    }
}

using MlNetInverse.Baselines;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The quick CPU settings the evaluation trains the baselines with (minutes each on the shipped 4,500 training maps,
/// torch on one thread), as measured by the baselines' own shipped-data test.
/// </summary>
internal sealed record BaselineSettings
{
    /// <summary>PCA-MDN principal components (components). Default 32.</summary>
    public int PcaComponents { get; init; } = 32;

    /// <summary>Epochs of the MDNs inside PCA-MDN and GAN-MDN (epochs). Default 100.</summary>
    public int MdnEpochs { get; init; } = 100;

    /// <summary>GAN epochs of GAN-MDN (epochs). Default 12.</summary>
    public int GanEpochs { get; init; } = 12;

    /// <summary>Generated samples GAN-MDN labels with the model's surrogate to train its MDN (samples). Default 5000.</summary>
    public int GanLabelledSamples { get; init; } = 5000;

    /// <summary>Epochs of the MDN inverse model (epochs). Default 10.</summary>
    public int MdnInverseEpochs { get; init; } = 10;

    /// <summary>RCWA simulations per target of the optimisation baseline (simulations). Default 250, the paper's number.</summary>
    public int OptimizationBudget { get; init; } = 250;

    /// <summary>Random initial points of the optimisation (simulations): 10, or the whole budget when it is smaller.</summary>
    public int OptimizationInitialPoints => Math.Min(10, OptimizationBudget);

    /// <summary>One line naming the settings of <paramref name="method"/>, stored beside a cached baseline and in the report.</summary>
    public string Describe(string method) => method switch
    {
        BaselineNames.PcaMdn => Text($"PCA k {PcaComponents}, MDN 40 components {MdnEpochs} epochs"),
        BaselineNames.GanMdn => Text($"DCGAN {GanEpochs} epochs, {GanLabelledSamples} samples labelled by the model's surrogate, MDN 40 components {MdnEpochs} epochs"),
        BaselineNames.MdnInverse => Text($"encoder/decoder/MDN trained jointly, {MdnInverseEpochs} epochs"),
        BaselineNames.Optimization => Text($"GP (Matern 5/2) + expected improvement over the GRF parameters, {OptimizationBudget} RCWA simulations per target ({OptimizationInitialPoints} random)"),
        _ => "",
    };
}

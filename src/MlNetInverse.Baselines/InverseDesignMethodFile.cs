using MlNetInverse.Baselines.GanMdn;
using MlNetInverse.Baselines.MdnInverse;
using MlNetInverse.Baselines.Optimization;
using MlNetInverse.Baselines.PcaMdn;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.Baselines;

/// <summary>Opens any saved baseline by the kind written in its header, so an evaluation can take a list of files.</summary>
public static class InverseDesignMethodFile
{
    /// <summary>The kind names this reader knows, by method name.</summary>
    public static IReadOnlyDictionary<string, string> Kinds { get; } = new Dictionary<string, string>
    {
        [BaselineNames.PcaMdn] = PcaMdnMethod.Kind,
        [BaselineNames.GanMdn] = GanMdnMethod.Kind,
        [BaselineNames.MdnInverse] = MdnInverseMethod.Kind,
        [BaselineNames.Optimization] = OptimizationInverseMethod.Kind,
    };

    /// <summary>Loads the method saved at <paramref name="path"/>.</summary>
    /// <param name="path">A file written by a method's Save.</param>
    /// <param name="device">Where the networks run. Default <see cref="ComputeDevice.Cpu"/>.</param>
    /// <param name="absorption">For the optimisation baseline: its judge; null simulates the saved stack with RCWA.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a saved method, or a kind this reader does not know; the message names it.</exception>
    public static IInverseDesignMethod Load(string path, ComputeDevice device = ComputeDevice.Cpu, IAbsorptionEvaluator? absorption = null)
    {
        string kind = BaselineFile.ReadKind(path);
        return kind switch
        {
            PcaMdnMethod.Kind => PcaMdnMethod.Load(path, device),
            GanMdnMethod.Kind => GanMdnMethod.Load(path, device),
            MdnInverseMethod.Kind => MdnInverseMethod.Load(path, device),
            OptimizationInverseMethod.Kind => OptimizationInverseMethod.Load(path, absorption),
            _ => throw new InvalidDataException(
                $"'{path}' holds a saved {kind}, not an inverse-design method this reader knows ({string.Join(", ", Kinds.Values)})."),
        };
    }
}

using Microsoft.ML;

namespace MlNetInverse.ML;

/// <summary>Finds a component in a fitted or loaded model, which may be the component itself or a (nested) transformer chain.</summary>
internal static class TransformerChains
{
    /// <summary>The last <typeparamref name="T"/> in <paramref name="model"/>, searching chains from their end; null when there is none.</summary>
    public static T? FindLast<T>(ITransformer model) where T : class, ITransformer => model switch
    {
        T found => found,
        IEnumerable<ITransformer> chain => chain.Reverse().Select(FindLast<T>).FirstOrDefault(t => t is not null),
        _ => null,
    };
}

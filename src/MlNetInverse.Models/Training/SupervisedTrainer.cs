namespace MlNetInverse.Models.Training;

/// <summary>
/// A trainer that holds out a seeded share of its labelled items before anything is learned (surrogate, MDN); the
/// split is the same for every run with the same seed and count.
/// </summary>
/// <typeparam name="TModelOptions">The model's architecture options.</typeparam>
/// <typeparam name="TTrainingOptions">The trainer's settings.</typeparam>
public abstract class SupervisedTrainer<TModelOptions, TTrainingOptions> : Trainer<TModelOptions, TTrainingOptions>
    where TModelOptions : class
    where TTrainingOptions : SupervisedTrainingOptions
{
    private readonly string _items;

    /// <param name="modelOptions">Architecture of the model to train.</param>
    /// <param name="trainingOptions">Training settings.</param>
    /// <param name="validateModel">Checks <paramref name="modelOptions"/>.</param>
    /// <param name="items">What is split, for the error on too few items (e.g. "The surrogate (labelled images)").</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    private protected SupervisedTrainer(TModelOptions modelOptions, TTrainingOptions trainingOptions, Action<TModelOptions> validateModel, string items)
        : base(modelOptions, trainingOptions, validateModel)
    {
        _items = items;
    }

    /// <summary>Which items are held out for <paramref name="count"/> items: a seeded shuffle's first share, sorted.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 items.</exception>
    public int[] HeldOutIndices(int count) => TrainingData.HeldOutIndices(count, Options.HeldOutFraction, Options.Seed, _items);

    /// <summary>The held-out items (sorted) and the training items (the rest, in order) for <paramref name="count"/> items.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 items.</exception>
    internal (int[] HeldOut, int[] Training) Split(int count)
    {
        var heldOut = HeldOutIndices(count);
        var heldOutSet = heldOut.ToHashSet();
        return (heldOut, Enumerable.Range(0, count).Where(i => !heldOutSet.Contains(i)).ToArray());
    }
}

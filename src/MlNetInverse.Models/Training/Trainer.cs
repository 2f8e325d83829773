namespace MlNetInverse.Models.Training;

/// <summary>
/// What every trainer (VQ-VAE, surrogate, MDN) holds: the architecture of the model to train and the training
/// settings, both validated when the trainer is made. Each call of a trainer's Train runs
/// <see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/>.
/// </summary>
/// <typeparam name="TModelOptions">The model's architecture options.</typeparam>
/// <typeparam name="TTrainingOptions">The trainer's settings.</typeparam>
public abstract class Trainer<TModelOptions, TTrainingOptions>
    where TModelOptions : class
    where TTrainingOptions : TrainingOptions
{
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    private protected Trainer(TModelOptions modelOptions, TTrainingOptions trainingOptions, Action<TModelOptions> validateModel)
    {
        ArgumentNullException.ThrowIfNull(modelOptions);
        ArgumentNullException.ThrowIfNull(trainingOptions);
        validateModel(modelOptions);
        trainingOptions.Validate();
        ModelOptions = modelOptions;
        Options = trainingOptions;
    }

    /// <summary>Architecture of the model to train.</summary>
    public TModelOptions ModelOptions { get; }

    /// <summary>Training settings.</summary>
    public TTrainingOptions Options { get; }
}

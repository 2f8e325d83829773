using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Training;

/// <summary>
/// TorchSharp's <see cref="Adam"/> with every scalar of its update held for the whole call. The stock step turns
/// doubles into temporary <see cref="Scalar"/>s (beta, 1 - beta, eps, the step size and the hidden alpha = 1 of
/// <c>add_</c>) that nothing references while libtorch reads them, so a garbage collection started by another thread
/// can finalise one mid-call ("Expected false to be true ... toFloat" from <c>add_</c>, seen in the test suite); see
/// <see cref="Physics.Runtime.TensorArithmetic"/>. Same operations in the same order, so the same bits as the stock
/// step; state, state_dict files and learning-rate changes are the base class's.
/// </summary>
internal sealed class HeldScalarAdam : Adam
{
    /// <summary>Adam over <paramref name="parameters"/> (eps 1e-8, no weight decay, no AMSGrad), as <c>optim.Adam</c> builds it.</summary>
    public HeldScalarAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999)
        : base(parameters, learningRate, beta1, beta2, eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, learningRate = group.LearningRate;
        using var one = 1.0.ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var keep1 = (1 - beta1).ToScalar();
        using var keep2 = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var grad = parameter.grad;
            if (grad is null) continue;
            using var scope = NewDisposeScope();
            var state = (State)_state[parameter.Handle];
            state.step += 1;
            double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(beta1Scalar).add_(grad, keep1);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), keep2);
            using var root2 = Math.Sqrt(correction2).ToScalar();
            using var stepSize = (-(learningRate / correction1)).ToScalar();
            var denominator = state.exp_avg_sq.sqrt().div(root2).add_(eps, one);
            parameter.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}

using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

[Collection(TorchDeterminismCollection.Name)]
public sealed class HeldScalarAdamTests
{
    [Theory]
    [InlineData(0.9)]
    [InlineData(0.5)]
    public void GivenTwoEqualNetworks_WhenOneStepsWithStockAdamAndOneWithHeldScalars_ThenEveryParameterStaysBitIdentical(double beta1)
    {
        using var stock = Network(seed: 3);
        using var held = Network(seed: 3);
        using var stockAdam = optim.Adam(stock.parameters(), 1e-2, beta1);
        using var heldAdam = new HeldScalarAdam(held.parameters(), 1e-2, beta1);

        for (int step = 0; step < 12; step++)
        {
            if (step == 6)
            {
                // A learning-rate change between epochs, as the trainers do it.
                foreach (var group in stockAdam.ParamGroups) group.LearningRate = 3e-3;
                foreach (var group in heldAdam.ParamGroups) group.LearningRate = 3e-3;
            }
            Train(stock, stockAdam, step);
            Train(held, heldAdam, step);
        }

        Assert.Equal(Flat(stock), Flat(held));
    }

    [Fact]
    public void GivenHeldScalarAdamState_WhenSavedAndLoadedIntoAFreshOne_ThenTrainingContinuesAsWithoutTheRoundTrip()
    {
        using var straight = Network(seed: 5);
        using var resumed = Network(seed: 5);
        using var straightAdam = new HeldScalarAdam(straight.parameters(), 1e-2);
        using var firstAdam = new HeldScalarAdam(resumed.parameters(), 1e-2);
        for (int step = 0; step < 4; step++)
        {
            Train(straight, straightAdam, step);
            Train(resumed, firstAdam, step);
        }
        using var saved = new MemoryStream();
        firstAdam.save_state_dict(new BinaryWriter(saved));
        saved.Position = 0;
        using var secondAdam = new HeldScalarAdam(resumed.parameters(), 1e-2);
        secondAdam.load_state_dict(new BinaryReader(saved));

        for (int step = 4; step < 8; step++)
        {
            Train(straight, straightAdam, step);
            Train(resumed, secondAdam, step);
        }

        Assert.Equal(Flat(straight), Flat(resumed));
    }

    private static nn.Module<Tensor, Tensor> Network(long seed)
    {
        var network = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));
        ParameterInitializer.Initialize(network, seed);
        return network;
    }

    private static void Train(nn.Module<Tensor, Tensor> network, optim.Optimizer optimizer, int step)
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 16, 4 }, generator: new Generator((ulong)(100 + step)));
        var y = randn(new long[] { 16, 2 }, generator: new Generator((ulong)(200 + step)));
        optimizer.zero_grad();
        nn.functional.mse_loss(network.call(x), y).Backpropagate();
        optimizer.step();
    }

    private static float[] Flat(nn.Module network) =>
        network.parameters().SelectMany(p => p.detach().contiguous().data<float>().ToArray()).ToArray();
}

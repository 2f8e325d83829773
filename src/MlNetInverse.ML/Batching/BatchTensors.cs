using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.ML.Batching;

/// <summary>Moves a <see cref="TorchBatch"/>'s values into tensors and results back, inside the caller's dispose scope.</summary>
internal static class BatchTensors
{
    /// <summary>The batch input as a float32 tensor of <paramref name="shape"/> (first dimension = rows) on <paramref name="device"/>.</summary>
    public static Tensor Input(TorchBatch batch, Device device, params long[] shape)
    {
        var cpu = torch.tensor(batch.Input.ToArray(), shape);
        return device.type == DeviceType.CPU ? cpu : cpu.to(device);
    }

    /// <summary>Copies a float tensor with Rows * OutputLength values into output <paramref name="output"/>.</summary>
    public static void CopyTo(Tensor values, TorchBatch batch, int output)
    {
        var source = values.detach().to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        source.CopyTo(batch.Singles(output));
    }

    /// <summary>Copies an integer tensor with Rows * OutputLength values into Int32 output <paramref name="output"/>.</summary>
    public static void CopyIndicesTo(Tensor values, TorchBatch batch, int output)
    {
        var source = values.detach().to_type(ScalarType.Int32).cpu().contiguous().data<int>().ToArray();
        source.CopyTo(batch.Int32s(output));
    }
}

using MlNetInverse.Models.Devices;
using TorchSharp;

namespace MlNetInverse.Tests.Models;

public sealed class DeviceResolverTests
{
    [Fact]
    public void GivenCpu_WhenResolving_ThenTheCpuIsUsedWithoutANotice()
    {
        var device = DeviceResolver.Resolve(ComputeDevice.Cpu, out var notice);
        Assert.Equal(DeviceType.CPU, device.type);
        Assert.Null(notice);
    }

    [Fact]
    public void GivenAuto_WhenCudaIsMissing_ThenTheCpuIsUsedWithANoticeSayingSo()
    {
        var device = DeviceResolver.Resolve(ComputeDevice.Auto, out var notice);
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, device.type);
            Assert.Null(notice);
            return;
        }
        Assert.Equal(DeviceType.CPU, device.type);
        Assert.NotNull(notice);
        Assert.Contains("CUDA is not available", notice);
        Assert.Contains("CPU", notice);
    }

    [Fact]
    public void GivenCuda_WhenCudaIsMissing_ThenAClearInvalidOperationExceptionIsThrown()
    {
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, DeviceResolver.Resolve(ComputeDevice.Cuda).type);
            return;
        }
        var error = Assert.Throws<InvalidOperationException>(() => DeviceResolver.Resolve(ComputeDevice.Cuda, out _));
        Assert.Contains("CUDA was requested", error.Message);
        Assert.Contains("libtorch-cpu", error.Message);
    }

    [Fact]
    public void GivenAnUndefinedDevice_WhenResolving_ThenTheErrorNamesTheAllowedValues()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceResolver.Resolve((ComputeDevice)42, out _));
        Assert.Contains("Cpu, Cuda or Auto", error.Message);
    }
}

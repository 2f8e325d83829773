using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// The ML.NET version info of a saved component, built one way for all of them: the model signature and the loader
/// signature name the component, the versions say which layouts this build writes and reads, and the loader assembly
/// is the component's own (ML.NET loads it by that name when it reads the zip).
/// </summary>
internal static class ComponentVersion
{
    /// <summary>The first layout of every component; a component that changes its layout raises its own versions.</summary>
    public const uint Initial = 0x00010001;

    /// <summary>Version info for the component loaded by <typeparamref name="TLoader"/>.</summary>
    public static VersionInfo Of<TLoader>(string modelSignature, string loaderSignature,
        uint written = Initial, uint readable = Initial, uint weCanReadBack = Initial) => new(
        modelSignature: modelSignature,
        verWrittenCur: written,
        verReadableCur: readable,
        verWeCanReadBack: weCanReadBack,
        loaderAssemblyName: typeof(TLoader).Assembly.FullName,
        loaderSignature: loaderSignature,
        loaderSignatureAlt: null);
}

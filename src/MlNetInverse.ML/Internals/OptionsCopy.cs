using System.Reflection;

namespace MlNetInverse.ML.Internals;

/// <summary>Shallow copies of options objects, so an estimator can set columns without changing the caller's instance.</summary>
internal static class OptionsCopy
{
    private static readonly MethodInfo Clone =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    public static T Of<T>(T options) where T : class => (T)Clone.Invoke(options, null)!;
}

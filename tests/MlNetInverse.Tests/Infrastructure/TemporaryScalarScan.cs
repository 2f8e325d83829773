namespace MlNetInverse.Tests.Infrastructure;

/// <summary>
/// Reads method bodies' IL to find torch calls that make a TorchSharp Scalar nobody holds while the native call runs
/// (see <c>TensorArithmetic</c>): a call to <c>Scalar</c>'s implicit conversion, a <c>ToScalar()</c> in a method that never
/// disposes one, or a call to a TorchSharp method that does either inside (found in TorchSharp's own IL, transitively:
/// <c>add(Tensor)</c>, <c>square()</c>, the <c>+</c> operator...); and constructing a TorchSharp module whose forward does.
/// </summary>
internal sealed class TemporaryScalarScan
{
    private const string ImplicitConversion = "TorchSharp.Scalar::op_Implicit";
    private const string ExplicitConversion = "TorchSharp.ScalarExtensionMethods::ToScalar";
    // A using statement disposes through IDisposable; a method that makes a Scalar and disposes anything is taken to
    // dispose the Scalar (a using keeps it alive to the end of its block).
    private static readonly string[] Disposals = ["TorchSharp.Scalar::Dispose(", "System.IDisposable::Dispose("];

    private readonly HashSet<string> _unsafeTorchMethods = [];
    private readonly HashSet<string> _unsafeModuleTypes = [];

    /// <summary>Reads TorchSharp's IL once: which of its methods make a temporary Scalar, directly or through others.</summary>
    public TemporaryScalarScan(string torchSharpPath)
    {
        var methods = IlCalls.Methods(torchSharpPath).ToList();
        foreach (var method in methods)
            if (MakesTemporaryScalar(method.Calls)) _unsafeTorchMethods.Add(method.Key);
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var method in methods)
                if (!_unsafeTorchMethods.Contains(method.Key) && method.Calls.Any(c => _unsafeTorchMethods.Contains(c.Key)))
                    grew = _unsafeTorchMethods.Add(method.Key);
        }
        foreach (var (type, forward) in IlCalls.ForwardOfEachType(torchSharpPath))
            if (_unsafeTorchMethods.Contains(forward)) _unsafeModuleTypes.Add(type);
    }

    /// <summary>How many TorchSharp methods make a temporary Scalar (a sanity figure for the test's output).</summary>
    public int UnsafeTorchMethodCount => _unsafeTorchMethods.Count;

    /// <summary>
    /// "Caller -> callee" for every call in <paramref name="assemblyPath"/> (only in types whose full name starts with
    /// <paramref name="typePrefix"/>) that makes a temporary Scalar. Types named in <paramref name="holders"/> may make
    /// Scalars they keep.
    /// </summary>
    public IReadOnlyList<string> Offences(string assemblyPath, string typePrefix, params string[] holders)
    {
        var offences = new List<string>();
        foreach (var method in IlCalls.Methods(assemblyPath))
        {
            if (!method.Key.StartsWith(typePrefix, StringComparison.Ordinal)) continue;
            bool holder = holders.Any(h => method.Key.StartsWith(h + "::", StringComparison.Ordinal) || method.Key.StartsWith(h + "+", StringComparison.Ordinal))
                || method.Key.Contains("::.cctor(", StringComparison.Ordinal);
            bool disposes = Disposes(method.Calls);
            foreach (var call in method.Calls.DistinctBy(c => c.Key))
            {
                if (call.Key.StartsWith(ImplicitConversion, StringComparison.Ordinal)
                    || (call.Key.StartsWith(ExplicitConversion, StringComparison.Ordinal) && !disposes && !holder)
                    || _unsafeTorchMethods.Contains(call.Key))
                    offences.Add($"{method.Key} -> {call.Key}");
                else if (_unsafeModuleTypes.Contains(call.IsConstruction ? call.DeclaringType : call.ReturnType))
                    offences.Add($"{method.Key} -> {call.Key} (a module whose forward makes temporary Scalars)");
            }
        }
        return offences;
    }

    private static bool MakesTemporaryScalar(IReadOnlyList<IlCalls.Call> calls) =>
        calls.Any(c => c.Key.StartsWith(ImplicitConversion, StringComparison.Ordinal) || c.Key.StartsWith(ExplicitConversion, StringComparison.Ordinal))
        && !Disposes(calls);

    private static bool Disposes(IReadOnlyList<IlCalls.Call> calls) =>
        calls.Any(c => Disposals.Any(d => c.Key.StartsWith(d, StringComparison.Ordinal)));
}

using System.Runtime.CompilerServices;

// The linear probe derives from ML.NET members that are internal or private protected in the shipped assemblies, as
// the product transformers do (src/MlNetInverse.ML/Internals/MlNetInternalsAccess.cs): the compiler sees them through
// the publicized copies, the runtime through these attributes.
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]

using System.Runtime.CompilerServices;

// Model persistence (Persistence/) derives from and calls ML.NET members that are internal or private protected in
// the shipped assemblies; the compiler sees them through the publicized copies, the runtime through these attributes.
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: IgnoresAccessChecksTo("Microsoft.ML.Data")]

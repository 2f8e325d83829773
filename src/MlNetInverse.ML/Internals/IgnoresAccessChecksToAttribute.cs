namespace System.Runtime.CompilerServices;

/// <summary>
/// Tells the runtime to skip access checks from this assembly into the named one. The runtime honours the attribute
/// but the base library does not declare it, so each assembly that needs it declares its own copy. Used with the
/// compile-time publicized ML.NET references (src/Build/PublicizedMlNet.targets): without it, overriding ML.NET's
/// private protected members fails with TypeLoadException ("overriding a method that is not visible").
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

    /// <summary>Simple name of the assembly whose internals this assembly uses.</summary>
    public string AssemblyName { get; }
}

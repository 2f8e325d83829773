using Mono.Cecil;

namespace MlNetInverse.Build;

/// <summary>Rewrites the accessibility of an assembly's types, methods and fields with Mono.Cecil.</summary>
internal static class AssemblyPublicizer
{
    /// <summary>
    /// Reads <paramref name="sourcePath"/>, widens accessibility and writes the result to <paramref name="targetPath"/>
    /// through a temp file in the same folder and a rename, so an interrupted build never leaves a half-written copy
    /// that a later incremental build would take as up to date. Returns the number of changed types and members.
    /// </summary>
    public static int Publicize(string sourcePath, string targetPath)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(sourcePath)));
        var parameters = new ReaderParameters { AssemblyResolver = resolver, ReadingMode = ReadingMode.Immediate, InMemory = true };
        using var assembly = AssemblyDefinition.ReadAssembly(sourcePath, parameters);

        int changed = 0;
        foreach (var type in assembly.MainModule.GetTypes())
        {
            if (IsCompilerGenerated(type.Name)) continue;
            if (WidenType(type)) changed++;
            foreach (var method in type.Methods)
                if (WidenMethod(method)) changed++;
            foreach (var field in type.Fields)
                if (!IsCompilerGenerated(field.Name) && WidenField(field)) changed++;
        }

        string temp = targetPath + ".tmp";
        try
        {
            assembly.Write(temp);
            File.Move(temp, targetPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return changed;
    }

    // Closures, iterators and backing fields stay as they are: nobody compiles against them.
    private static bool IsCompilerGenerated(string name) => name.StartsWith('<');

    private static bool WidenType(TypeDefinition type)
    {
        if (!type.IsNested)
        {
            if (type.IsPublic) return false;
            type.IsPublic = true;
            return true;
        }
        // Private nested types stay private: they are implementation details no derived class can need.
        if (type.IsNestedPublic || type.IsNestedPrivate || type.IsNestedFamily) return false;
        if (type.IsNestedFamilyAndAssembly) type.IsNestedFamily = true;
        else type.IsNestedPublic = true;
        return true;
    }

    private static bool WidenMethod(MethodDefinition method)
    {
        if (method.IsPublic || method.IsPrivate || method.IsFamily) return false;
        // private protected becomes protected (derived classes elsewhere override it); internal and protected
        // internal become public.
        if (method.IsFamilyAndAssembly) method.IsFamily = true;
        else method.IsPublic = true;
        // "Strict" virtuals may only be overridden where the base method is accessible; the copy drops the flag
        // so the compiler treats the widened method like any other.
        if (method.IsVirtual) method.IsCheckAccessOnOverride = false;
        return true;
    }

    private static bool WidenField(FieldDefinition field)
    {
        if (field.IsPublic || field.IsPrivate || field.IsFamily) return false;
        if (field.IsFamilyAndAssembly) field.IsFamily = true;
        else field.IsPublic = true;
        return true;
    }
}

using MlNetInverse.Build;

// Usage: MlNetPublicizer <output folder> <assembly>...
// Writes, for each assembly, a copy with the same name into the output folder whose internal types and members are
// public (and private protected ones protected). The copies are for the compiler only; the real assemblies run.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MlNetPublicizer <output folder> <assembly.dll>...");
    return 2;
}

string outputFolder = Path.GetFullPath(args[0]);
Directory.CreateDirectory(outputFolder);
foreach (var assemblyPath in args.Skip(1))
{
    if (!File.Exists(assemblyPath))
    {
        Console.Error.WriteLine($"MlNetPublicizer: assembly '{assemblyPath}' does not exist.");
        return 1;
    }
    var target = Path.Combine(outputFolder, Path.GetFileName(assemblyPath));
    int changed = AssemblyPublicizer.Publicize(assemblyPath, target);
    Console.WriteLine($"MlNetPublicizer: {Path.GetFileName(assemblyPath)}: {changed} types and members made accessible -> {target}");
}
return 0;

using System.Reflection;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli;

/// <summary>
/// Finds a value option given without its value (<c>--pattern</c> at the end, or followed by another option).
/// Spectre 0.57 then binds an internal placeholder ("__default_command") as the value, which would surface as a
/// baffling "file '__default_command' does not exist", so this is checked before parsing.
/// </summary>
internal static class MissingOptionValue
{
    /// <summary>The first option in <paramref name="args"/> that takes a value but has none, or null.</summary>
    public static string? Find(IReadOnlyList<string> args, IEnumerable<Type> settingsTypes)
    {
        var valueOptions = ValueOptionNames(settingsTypes);
        for (int i = 0; i < args.Count; i++)
        {
            if (!valueOptions.Contains(args[i])) continue;
            bool hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (!hasValue) return args[i];
        }
        return null;
    }

    /// <summary>"--name" and "-n" of every option with a required value declared on the given settings types.</summary>
    public static HashSet<string> ValueOptionNames(IEnumerable<Type> settingsTypes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in settingsTypes)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var option = property.GetCustomAttribute<CommandOptionAttribute>();
                if (option?.ValueName is null || option.ValueIsOptional) continue;
                foreach (var name in option.LongNames) names.Add("--" + name);
                foreach (var name in option.ShortNames) names.Add("-" + name);
            }
        }
        return names;
    }

    /// <summary>Every settings type declared in this assembly.</summary>
    public static IEnumerable<Type> SettingsTypesOfThisApp() =>
        typeof(MissingOptionValue).Assembly.GetTypes().Where(t => typeof(CommandSettings).IsAssignableFrom(t) && !t.IsAbstract);
}

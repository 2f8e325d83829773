using System.Globalization;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The evaluation seeds of <c>evaluate --seed S --seeds LIST|COUNT</c>: a list (7,8,9) names them; a single count (3)
/// means S and the next ones (7, 8, 9 for the default S = 7); neither means S alone. A list replaces S (an S given
/// beside it must be in the list). Each seed's cells are computed and
/// stored separately; the report pools their designs.
/// </summary>
internal static class EvaluationSeeds
{
    /// <summary>The evaluation seed when none is given: differs from the quick pipeline's training and generation seeds (0) and the shipped dataset's seed (1).</summary>
    public const long DefaultSeed = 7;

    /// <summary>Most seeds one run pools (a guard against a mistyped count).</summary>
    public const int MaxSeeds = 100;

    /// <summary>The seeds, in the order given (a count counts up from <paramref name="seed"/>).</summary>
    /// <param name="seeds">The --seeds text, or null.</param>
    /// <param name="seed">The --seed value, or null when not given.</param>
    /// <exception cref="FormatException">Not a list of integers or a count, a seed listed twice, a count out of range, or a list without the --seed given beside it.</exception>
    public static IReadOnlyList<long> Parse(string? seeds, long? seed)
    {
        long first = seed ?? DefaultSeed;
        if (seeds is null) return [first];
        var items = seeds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new FormatException("--seeds: the list is empty; write a list like 7,8,9 or a count like 3.");
        var values = items.Select(item => long.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new FormatException($"--seeds: '{item}' is not a seed; write a list like 7,8,9 or a count like 3 (--seed and the next ones).")).ToArray();
        if (!seeds.Contains(','))
        {
            long count = values[0];
            if (count < 1 || count > MaxSeeds)
                throw new FormatException($"--seeds: a count of seeds must be 1 to {MaxSeeds}; got {count} (a list of seeds needs a comma, e.g. {count},{count + 1}).");
            return Enumerable.Range(0, (int)count).Select(k => checked(first + k)).ToArray();
        }
        if (values.Length > MaxSeeds) throw new FormatException($"--seeds: at most {MaxSeeds} seeds; got {values.Length}.");
        var repeated = values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new FormatException($"--seeds: seed {repeated.Key} is listed twice; each seed's designs would count twice.");
        if (seed is { } given && !values.Contains(given))
            throw new FormatException($"--seed {given} is not in the --seeds list {seeds.Trim()}: a list names every seed; drop --seed or add it to the list.");
        return values;
    }
}

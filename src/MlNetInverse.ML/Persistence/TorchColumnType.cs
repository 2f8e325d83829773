using Microsoft.ML.Data;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// The column types a torch-backed transformer reads and writes: a <see cref="NumberDataViewType.Single"/> scalar or
/// a known-size vector of Single. Stored in the model as one int: 0 for the scalar, the length for a vector.
/// </summary>
internal static class TorchColumnType
{
    /// <summary>The type for a stored length code (0 = scalar).</summary>
    public static DataViewType FromCode(int code) =>
        code == 0 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, code);

    /// <summary>The stored length code of a supported type.</summary>
    public static int ToCode(DataViewType type) => type is VectorDataViewType vector ? vector.Size : 0;

    /// <summary>Number of floats one value holds.</summary>
    public static int ElementCount(DataViewType type) => type is VectorDataViewType vector ? vector.Size : 1;

    /// <summary>The item type: the type itself for a scalar, the element type for a vector.</summary>
    public static DataViewType ItemType(DataViewType type) => type is VectorDataViewType vector ? vector.ItemType : type;

    /// <summary>
    /// True for a type an additional output column may have: Single, Boolean (e.g. a per-row flag), or a known-size
    /// vector of Single or Int32 (e.g. code indices).
    /// </summary>
    public static bool IsSupportedExtraOutput(DataViewType type) =>
        IsSupported(type)
        || type == BooleanDataViewType.Instance
        || type is VectorDataViewType { ItemType: var item, IsKnownSize: true } && item == NumberDataViewType.Int32;

    /// <summary>True for Single or a known-size vector of Single.</summary>
    public static bool IsSupported(DataViewType type) =>
        type == NumberDataViewType.Single
        || type is VectorDataViewType { ItemType: var item, IsKnownSize: true } && item == NumberDataViewType.Single;

    /// <summary>
    /// True when a column of type <paramref name="actual"/> can feed an input of <paramref name="expected"/>: the
    /// same scalar, or Single vectors of the same size (dimensions such as ExtractPixels' 1 x 64 x 64 are ignored).
    /// </summary>
    public static bool Accepts(DataViewType expected, DataViewType actual) =>
        expected is VectorDataViewType e
            ? actual is VectorDataViewType a && a.ItemType.Equals(e.ItemType) && a.IsKnownSize && a.Size == e.Size
            : actual.Equals(expected);

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="parameterName"/> for an unsupported type.</summary>
    public static void Check(DataViewType type, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(type, parameterName);
        if (!IsSupported(type))
            throw new ArgumentException($"A torch transformer column must be Single or a known-size Vector<Single>; got {type}.", parameterName);
    }
}

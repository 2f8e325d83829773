using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Schema;

namespace MlNetInverse.ML.Persistence;

public abstract partial class TorchTransformerBase
{
    /// <summary>Maps the input column to the output column row by row through <see cref="RunForward"/>.</summary>
    private sealed class Mapper : MapperBase
    {
        private readonly TorchTransformerBase _parent;
        private readonly int _inputIndex;

        public Mapper(TorchTransformerBase parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _parent = parent;
            var expected = parent.InputType;
            _inputIndex = InputColumnCheck.Require(inputSchema, parent.InputColumnName,
                actual => TorchColumnType.Accepts(expected, actual), InputColumnCheck.TypeName(expected)).Index;
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
            [new DataViewSchema.DetachedColumn(_parent.OutputColumnName, _parent.OutputType)];

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var read = MakeInputReader(input);
            int outputLength = TorchColumnType.ElementCount(_parent.OutputType);
            // Per-getter buffers: each cursor gets its own getter, so parallel cursors never share them.
            var inputValues = new float[TorchColumnType.ElementCount(_parent.InputType)];
            var outputValues = new float[outputLength];
            if (_parent.OutputType is VectorDataViewType)
            {
                ValueGetter<VBuffer<float>> vectorGetter = (ref VBuffer<float> destination) =>
                {
                    read(inputValues);
                    _parent.RunForward(inputValues, outputValues);
                    var editor = VBufferEditor.Create(ref destination, outputLength);
                    outputValues.CopyTo(editor.Values);
                    destination = editor.Commit();
                };
                return vectorGetter;
            }
            ValueGetter<float> scalarGetter = (ref float destination) =>
            {
                read(inputValues);
                _parent.RunForward(inputValues, outputValues);
                destination = outputValues[0];
            };
            return scalarGetter;
        }

        protected override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) =>
            column => column == _inputIndex && activeOutput(0);

        protected override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);

        /// <summary>A reader that copies the current row's input value (scalar or dense vector) into a buffer.</summary>
        private Action<float[]> MakeInputReader(DataViewRow input)
        {
            var column = input.Schema[_inputIndex];
            if (_parent.InputType is VectorDataViewType)
            {
                var getter = input.GetGetter<VBuffer<float>>(column);
                VBuffer<float> value = default;
                return buffer =>
                {
                    getter(ref value);
                    value.CopyTo(buffer);
                };
            }
            var scalar = input.GetGetter<float>(column);
            return buffer =>
            {
                float value = 0;
                scalar(ref value);
                buffer[0] = value;
            };
        }
    }
}

using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Batching;

namespace MlNetInverse.ML.Persistence;

public abstract partial class TorchTransformerBase
{
    /// <summary>
    /// Row-at-a-time mapping for prediction engines and row-to-row mappers: a batch of one row. The getters of one
    /// row share a state that remembers the last input and its outputs, so asking for several output columns of the
    /// same row runs the model once.
    /// </summary>
    private sealed class Mapper : MapperBase
    {
        private readonly TorchTransformerBase _parent;
        private readonly int _inputIndex;

        public Mapper(TorchTransformerBase parent, DataViewSchema inputSchema)
            : base(parent.Host.Register(nameof(Mapper)), inputSchema, parent)
        {
            _parent = parent;
            _inputIndex = parent.FindInput(inputSchema);
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() => _parent.OutputColumns.ToArray();

        public override Delegate[] CreateGetters(DataViewRow input, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            var state = new RowState(_parent, input, _inputIndex);
            var getters = new Delegate[_parent.OutputColumns.Count];
            for (int i = 0; i < getters.Length; i++)
                if (activeOutput(i)) getters[i] = state.Getter(i);
            return getters;
        }

        protected override Delegate MakeGetter(DataViewRow input, int iinfo, Func<int, bool> activeOutput, out Action? disposer)
        {
            disposer = null;
            return new RowState(_parent, input, _inputIndex).Getter(iinfo);
        }

        protected override Func<int, bool> GetDependenciesCore(Func<int, bool> activeOutput) =>
            column => column == _inputIndex && Enumerable.Range(0, _parent.OutputColumns.Count).Any(activeOutput);

        protected override void SaveModel(ModelSaveContext ctx) => _parent.SaveModel(ctx);
    }

    /// <summary>
    /// The outputs of the row a set of getters is looking at. The model runs again only when the input value changes,
    /// which is always right (the forward pass is a function of the input) and needs no trust in row positions.
    /// </summary>
    private sealed class RowState
    {
        private readonly TorchTransformerBase _parent;
        private readonly TorchBatch _batch;
        private readonly Action<Span<float>> _readInput;
        private readonly float[] _current;
        private bool _valid;

        public RowState(TorchTransformerBase parent, DataViewRow input, int inputIndex)
        {
            _parent = parent;
            _batch = parent.CreateBatch(1);
            _batch.Reset(1);
            _readInput = InputReader.Create(input, inputIndex, parent.InputType);
            _current = new float[_batch.InputLength];
        }

        public Delegate Getter(int output)
        {
            var type = _parent.OutputColumns[output].Type;
            if (type == BooleanDataViewType.Instance)
            {
                ValueGetter<bool> flag = (ref bool destination) =>
                {
                    Update();
                    destination = _batch.BooleanOf(output, 0);
                };
                return flag;
            }
            if (type is not VectorDataViewType)
            {
                ValueGetter<float> scalar = (ref float destination) =>
                {
                    Update();
                    destination = _batch.SinglesOf(output, 0)[0];
                };
                return scalar;
            }
            if (TorchColumnType.ItemType(type) == NumberDataViewType.Int32)
            {
                ValueGetter<VBuffer<int>> indices = (ref VBuffer<int> destination) =>
                {
                    Update();
                    InputReader.Write(_batch.Int32sOf(output, 0), ref destination);
                };
                return indices;
            }
            ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> destination) =>
            {
                Update();
                InputReader.Write(_batch.SinglesOf(output, 0), ref destination);
            };
            return vector;
        }

        private void Update()
        {
            _readInput(_current);
            var input = _batch.InputOf(0);
            // Bitwise, so -0 and 0 or two NaN payloads count as different inputs.
            if (_valid && MemoryMarshal.Cast<float, int>(input).SequenceEqual(MemoryMarshal.Cast<float, int>(_current.AsSpan()))) return;
            _current.CopyTo(input);
            _valid = false;
            _parent.RunForward(_batch);
            _valid = true;
        }
    }
}
